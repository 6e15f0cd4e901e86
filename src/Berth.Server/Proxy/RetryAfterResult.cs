using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Proxy;

/// <summary>Adds a <c>Retry-After</c> header to another result.</summary>
internal sealed class RetryAfterResult(IResult inner, TimeSpan after) : IResult
{
    /// <summary>The result the header is added to.</summary>
    public IResult Inner => inner;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers[HeaderNames.RetryAfter] = ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
