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
        var (source, problem) = await AgentLogSource.ResolveAsync(name, tail, since, follow ?? false, instance, agents, instances, runtimes, time, ct);
        if (problem is not null)
        {
            return problem;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = ContentType;
        await context.Response.StartAsync(ct);
        await context.Response.Body.FlushAsync(ct); // send the headers now: a quiet agent may not log for a while
        if (source!.Driver is null || source.Instances.Count == 0)
        {
            return TypedResults.Empty;
        }

        try
        {
            await WriteAsync(context.Response, source, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }

        return TypedResults.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, AgentLogSource source, CancellationToken ct)
    {
        var (driver, targets, query) = (source.Driver!, source.Instances, source.Query);
        if (!query.Follow)
        {
            // Each instance's lines come in time order, so merging them streams in time order with one line per instance held.
            if (query.Tail is not null)
            {
                foreach (var entry in await source.ReadTailAsync(ct))
                {
                    await WriteLineAsync(response, entry, ct);
                }
            }
            else
            {
                await foreach (var entry in source.ReadMerged(ct))
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
