using System.Collections.Concurrent;
using System.Text;
using Berth.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Audit;

/// <summary>
/// Writes an audit record for every mutating request to an endpoint marked <see cref="AuditMetadata.Mutations"/> (all of
/// <c>/api/v1</c>; decided by the matched endpoint, never by the path's text), whatever its outcome, and for every request
/// answered 401 or 403 anywhere (the proxy included). It runs after authentication and wraps the rate limiter,
/// authorization and the endpoint, so it sees the principal and the final status. Allowed proxy traffic and reads are
/// not audited, and the work per request is a few comparisons; the record itself is queued, never written inline.
/// Never recorded: bodies, query strings, headers, tokens.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, AuditLog log, TimeProvider time)
{
    private readonly ConcurrentDictionary<RouteEndpoint, AuditRoute> _routes = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetUtcNow();
        int status;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        catch
        {
            Record(context, started, StatusCodes.Status500InternalServerError);
            throw;
        }

        Record(context, started, status);
    }

    private void Record(HttpContext context, DateTimeOffset started, int status)
    {
        var request = context.Request;
        var endpoint = context.GetEndpoint();
        if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden) &&
            !(IsMutation(request.Method) && endpoint?.Metadata.GetMetadata<AuditMetadata>() is { Audited: true }))
        {
            return;
        }

        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            Security.AccessMetrics.RecordDenial(status == StatusCodes.Status403Forbidden);
        }

        var route = endpoint is RouteEndpoint routed ? _routes.GetOrAdd(routed, AuditRoute.For) : null;
        log.Write(
            context.User,
            started,
            $"{CallerText.Printable(request.Method, CallerText.AuditLength)} {route?.Pattern ?? CallerText.Printable(request.Path.Value ?? "/", CallerText.AuditLength)}",
            route?.Verb,
            AuditTarget.Get(context) ?? (route is null ? null : Target(request.RouteValues)),
            status,
            context.Connection.RemoteIpAddress?.ToString());
    }

    private static bool IsMutation(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPatch(method);

    private static string? Target(RouteValueDictionary values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var target = new StringBuilder();
        foreach (var (key, value) in values)
        {
            target.Append(target.Length == 0 ? "" : " ").Append(key).Append('=').Append(CallerText.Printable(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", CallerText.AuditLength));
        }

        return target.ToString();
    }
}
