using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Runtimes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Agents;

/// <summary>Streams an agent's log lines as newline-delimited JSON, one <see cref="LogEntry"/> per line, merged across instances.</summary>
internal static class AgentLogs
{
    public const string ContentType = "application/x-ndjson";
    private const int FollowBuffer = 1024;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamAsync(
        string name, int? tail, string? since, bool? follow, string? instance,
        HttpContext context, IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var agent = await agents.GetAsync(name, ct);
        if (agent is null)
        {
            return Problems.Problems.AgentNotFound(name);
        }

        if (tail is < 0 or > LogQuery.MaxTail)
        {
            return Problems.Problems.BadRequest(
                $"tail must be between 0 and {LogQuery.MaxTail} lines (the server's limit); got {tail}. Leave tail out to stream every line kept.");
        }

        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!Since.TryParse(since, time.GetUtcNow(), out var parsed))
            {
                return Problems.Problems.BadRequest($"since must be {Since.Hint}; got '{since}'.");
            }

            from = parsed;
        }

        var driver = runtimes.Configured(agent.Spec.Kind);
        var targets = (await instances.ListAsync(name, ct))
            .Where(i => instance is null || i.InstanceId == instance)
            .Select(i => i.InstanceId)
            .ToList();
        if (instance is not null && targets.Count == 0)
        {
            return Problems.Problems.Problem(StatusCodes.Status404NotFound, "Instance not found", Problems.Problems.NotFoundType,
                $"Agent '{name}' has no instance '{instance}'. See 'berth describe agent {name}'.");
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = ContentType;
        await context.Response.StartAsync(ct);
        await context.Response.Body.FlushAsync(ct); // send the headers now: a quiet agent may not log for a while
        if (driver is null || targets.Count == 0)
        {
            return TypedResults.Empty;
        }

        var query = new LogQuery { Tail = tail, Since = from, Follow = follow ?? false };
        try
        {
            await WriteAsync(context.Response, driver, targets, query, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }

        return TypedResults.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, IAgentRuntime driver, List<string> targets, LogQuery query, CancellationToken ct)
    {
        if (!query.Follow)
        {
            // Each instance's lines come in time order, so merging them streams in time order with one line per instance held.
            var merged = LogMerge.ByTime(targets.Select(id => driver.ReadLogsAsync(id, query, ct)).ToList(), ct);
            if (query.Tail is { } tail)
            {
                foreach (var entry in await LogTail.LastAsync(merged, tail, LogQuery.MaxTailBytes, ct))
                {
                    await WriteLineAsync(response, entry, ct);
                }
            }
            else
            {
                await foreach (var entry in merged)
                {
                    await WriteLineAsync(response, entry, ct);
                }
            }

            await response.Body.FlushAsync(ct);
            return;
        }

        // Bounded: a reader that outruns a slow client waits instead of queueing the agent's whole log in memory.
        var followed = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(FollowBuffer) { SingleReader = true });
        var readers = targets.Select(id => Task.Run(async () =>
        {
            await foreach (var entry in driver.ReadLogsAsync(id, query, ct))
            {
                await followed.Writer.WriteAsync(entry, ct);
            }
        }, ct)).ToList();
        _ = Task.WhenAll(readers).ContinueWith(t => followed.Writer.TryComplete(t.Exception), TaskScheduler.Default);

        await foreach (var entry in followed.Reader.ReadAllAsync(ct))
        {
            await WriteLineAsync(response, entry, ct);
            if (followed.Reader.Count == 0)
            {
                await response.Body.FlushAsync(ct);
            }
        }
    }

    private static async Task WriteLineAsync(HttpResponse response, LogEntry entry, CancellationToken ct)
    {
        await JsonSerializer.SerializeAsync(response.Body, entry, BerthJson.Options, ct);
        await response.Body.WriteAsync(NewLine, ct);
    }
}
