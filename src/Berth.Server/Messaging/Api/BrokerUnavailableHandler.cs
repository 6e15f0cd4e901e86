using Berth.Core.Messaging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Messaging.Api;

/// <summary>
/// Answers <c>503</c> with <c>Retry-After</c> for any request the message broker could not serve in time (RabbitMQ down or
/// restarting), instead of a bare 500. Nothing is known to be committed: a publisher retries, with its <c>Message-Id</c> so a
/// publish that did land is not stored twice.
/// </summary>
internal sealed class BrokerUnavailableHandler : IExceptionHandler
{
    public const string ProblemType = "urn:berth:problem:broker-unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || exception is not MessageBrokerUnavailableException unavailable)
        {
            return false;
        }

        httpContext.Response.Headers.RetryAfter = "5";
        await Problems.Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Message broker unavailable", ProblemType,
            $"{unavailable.Message} Try again; publish with a Message-Id so a retry of a publish that did land stores nothing.").ExecuteAsync(httpContext);
        return true;
    }
}
