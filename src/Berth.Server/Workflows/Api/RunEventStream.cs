using System.Globalization;
using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Berth.Server.Workflows.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Workflows.Api;

/// <summary>
/// A run's events as server-sent events (<c>id</c> = sequence, <c>event</c> = type, <c>data</c> = the event as JSON), from
/// after the given sequence (or <c>Last-Event-ID</c>). Following, it ends once the run's final event was sent; a comment
/// line keeps idle connections open.
/// </summary>
/// <remarks>
/// Written by hand rather than with <c>TypedResults.ServerSentEvents</c>: that result sends the headers only with the first
/// event (a follower of a queued run would wait for them) and cannot write the comment line used as keep-alive.
/// </remarks>
internal sealed class RunEventStream(string runId, long after, bool follow, IRunStore runs, RunEventHub hub) : IResult
{
    public const string ContentType = "text/event-stream";

    private const int Page = 500;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var ct = httpContext.RequestAborted;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(ct);
        var last = after;
        try
        {
            while (true)
            {
                var changed = hub.Changed(runId);
                var events = await runs.GetEventsAsync(runId, last, Page, ct);
                foreach (var item in events)
                {
                    await WriteAsync(response, item, ct);
                    last = item.Sequence;
                }

                if (events.Count > 0)
                {
                    await response.Body.FlushAsync(ct);
                    if (events.Count == Page)
                    {
                        continue;
                    }
                }

                if (events.Any(IsFinal) || await IsFinishedAsync(ct) && (await runs.GetEventsAsync(runId, last, 1, ct)).Count == 0)
                {
                    hub.Forget(runId);
                    return;
                }

                if (!follow)
                {
                    return;
                }

                if (await Task.WhenAny(changed, Task.Delay(KeepAlive, ct)) != changed)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct);
                    await response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task<bool> IsFinishedAsync(CancellationToken ct) =>
        await runs.GetAsync(runId, ct) is { State: RunState.Succeeded or RunState.Failed or RunState.Cancelled };

    private static bool IsFinal(RunEvent item) => item.Type is "run.succeeded" or "run.failed" or "run.cancelled";

    private static Task WriteAsync(HttpResponse response, RunEvent item, CancellationToken ct) =>
        response.WriteAsync(
            $"id: {item.Sequence.ToString(CultureInfo.InvariantCulture)}\nevent: {item.Type}\ndata: {JsonSerializer.Serialize(item, BerthJson.Options)}\n\n",
            ct);
}
