using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Core.Agents;

namespace Berth.Cli.Commands.Bench;

/// <summary>
/// Sends one bench run's requests through Berth's authenticated proxy from <see cref="BenchSettings.Concurrency"/> workers and
/// measures them; with <see cref="BenchSettings.ColdStart"/> first restarts the agent and times the first request once it is back.
/// Counters are readable while it runs, for a progress bar.
/// </summary>
internal sealed class BenchRunner(BerthClient client, IAgentResourceSampler sampler, TimeProvider time)
{
    /// <summary>Answers larger than this are not read for a <c>usage</c> object (they are still read to the end).</summary>
    private const int MaxUsageBody = 1024 * 1024;

    /// <summary>Requests sent one at a time after the cold one, whose median is the warm figure it is compared with.</summary>
    private const int WarmRequests = 5;

    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ColdStartTimeout = TimeSpan.FromMinutes(2);

    private int _claimed;
    private int _completed;
    private int _failed;
    private long _startedAt;
    private ExceptionDispatchInfo? _fatal;

    /// <summary>What the run is doing now: <c>restarting</c> (cold start), <c>sending</c>, <c>done</c>.</summary>
    public string Phase { get; private set; } = "starting";

    public int Completed => Volatile.Read(ref _completed);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Time since the load started; zero before.</summary>
    public TimeSpan Elapsed => Interlocked.Read(ref _startedAt) is var started and > 0 ? time.GetElapsedTime(started) : TimeSpan.Zero;

    public async Task<BenchReport> RunAsync(string agent, BenchSettings settings, CancellationToken cancellationToken)
    {
        var cold = settings.ColdStart ? await ColdStartAsync(agent, settings, cancellationToken) : null;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var samples = new List<ResourceSample>();
        Phase = "sending";
        Interlocked.Exchange(ref _startedAt, time.GetTimestamp());
        var sampling = SampleAsync(agent, samples, stop.Token, cancellationToken);
        var workerCount = Math.Min(settings.Concurrency, settings.Requests ?? int.MaxValue);
        var recorders = Enumerable.Range(0, workerCount).Select(_ => new BenchRecorder()).ToList();
        var workers = recorders.Select(r => WorkAsync(agent, settings, r, stop)).ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (Exception) when (_fatal is not null || cancellationToken.IsCancellationRequested)
        {
            // Rethrown below: the first fatal error, or the caller's cancellation, not whichever worker noticed it first.
        }

        var elapsed = Elapsed;
        await stop.CancelAsync();
        await sampling;
        Phase = "done";
        _fatal?.Throw();
        cancellationToken.ThrowIfCancellationRequested();

        var all = new BenchRecorder();
        recorders.ForEach(all.Add);
        var latency = LatencySummary.Of(all.Latencies);
        var requests = all.Succeeded + all.Failed;
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        return new BenchReport
        {
            Agent = agent,
            Method = settings.Method,
            Path = settings.Path,
            Concurrency = workerCount,
            RequestsAsked = settings.Requests,
            DurationAskedSeconds = settings.Duration?.TotalSeconds,
            Requests = requests,
            Succeeded = all.Succeeded,
            Failed = all.Failed,
            SuccessRate = requests == 0 ? 0 : Math.Round((double)all.Succeeded / requests, 4),
            ElapsedSeconds = Math.Round(elapsed.TotalSeconds, 3),
            Throughput = Math.Round(requests / seconds, 1),
            LatencyMs = latency,
            StatusCodes = all.Statuses.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => s.Value, StringComparer.Ordinal),
            Errors = all.Errors.OrderByDescending(e => e.Value).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            ColdStart = cold,
            Tokens = all.UsageResponses == 0 ? null : new TokenUsage(
                all.UsageResponses,
                Math.Round((double)all.PromptTokens / all.UsageResponses, 2),
                Math.Round((double)all.CompletionTokens / all.UsageResponses, 2),
                Math.Round((double)all.TotalTokens / all.UsageResponses, 2),
                Math.Round(all.TotalTokens / seconds, 1)),
            Resources = samples.Count == 0 ? null : new ResourceUsage(
                samples.Count, Math.Round(samples.Average(s => s.CpuPercent), 1), Math.Round(samples.Max(s => s.CpuPercent), 1), samples.Max(s => s.MemoryBytes)),
        };
    }

    private async Task WorkAsync(string agent, BenchSettings settings, BenchRecorder recorder, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested && Claim(settings))
            {
                var outcome = await SendAsync(agent, settings, stop.Token);
                recorder.Record(outcome);
                if (!outcome.Succeeded)
                {
                    Interlocked.Increment(ref _failed);
                }

                Interlocked.Increment(ref _completed);
            }
        }
        catch (Exception exception) when (!stop.IsCancellationRequested)
        {
            // The server went away or refused the token: every other request would fail the same way, so the run stops here.
            Interlocked.CompareExchange(ref _fatal, ExceptionDispatchInfo.Capture(exception), null);
            await stop.CancelAsync();
        }
    }

    private bool Claim(BenchSettings settings) => settings.Requests is { } total
        ? Interlocked.Increment(ref _claimed) <= total
        : Elapsed < settings.Duration!.Value;

    private async Task<RequestOutcome> SendAsync(string agent, BenchSettings settings, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(settings.Method), new Uri(settings.Path, UriKind.Relative));
        if (settings.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(settings.ContentType ?? "text/plain; charset=utf-8");
        }

        var started = time.GetTimestamp();
        try
        {
            using var response = await client.CallAgentAsync(agent, request, cancellationToken);
            var media = response.Content.Headers.ContentType?.MediaType;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var usage = media is not null && media.Contains("json", StringComparison.OrdinalIgnoreCase)
                && await ReadBoundedAsync(stream, cancellationToken) is { } json
                    ? UsageReader.Read(json)
                    : null;
            await stream.CopyToAsync(Stream.Null, cancellationToken);
            return new RequestOutcome(time.GetElapsedTime(started).TotalMilliseconds, (int)response.StatusCode, null, usage);
        }
        catch (HttpRequestException exception)
        {
            return new RequestOutcome(time.GetElapsedTime(started).TotalMilliseconds, null, exception.InnerException?.Message ?? exception.Message, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RequestOutcome(time.GetElapsedTime(started).TotalMilliseconds, null, "no answer within the client's timeout (100s)", null);
        }
    }

    /// <summary>The whole body when it is at most <see cref="MaxUsageBody"/> bytes; null (the rest left unread) when longer.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var body = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > MaxUsageBody)
            {
                return null;
            }
        }

        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    /// <summary>
    /// Restarts the agent through the API, waits until every replica of the new generation is ready, times one request, then
    /// <see cref="WarmRequests"/> more one at a time for the warm figure. None of them counts in the load's figures.
    /// </summary>
    private async Task<ColdStartResult> ColdStartAsync(string agent, BenchSettings settings, CancellationToken cancellationToken)
    {
        Phase = "restarting";
        var restarted = time.GetTimestamp();
        var view = await client.RestartAgentAsync(agent, cancellationToken);
        await client.WaitForAgentAsync(
            agent,
            v => v.State == AgentState.Running && v.ReadyReplicas >= v.Replicas && v.Generation >= view.Generation,
            ColdStartTimeout,
            null,
            cancellationToken);
        var ready = time.GetElapsedTime(restarted).TotalMilliseconds;
        Phase = "first request";
        var first = await SendAsync(agent, settings, cancellationToken);
        Phase = "warm requests";
        var warm = new List<double>();
        for (var i = 0; i < WarmRequests; i++)
        {
            if (await SendAsync(agent, settings, cancellationToken) is { Status: not null } outcome)
            {
                warm.Add(outcome.LatencyMs);
            }
        }

        var median = LatencySummary.Of(warm)?.P50;
        return new ColdStartResult(
            Math.Round(ready, 1), Math.Round(first.LatencyMs, 3), first.Status, median, BenchRatio.Divide(first.LatencyMs, median));
    }

    /// <summary>
    /// Samples until the load stops. A sample in flight when it stops is finished, not cancelled (only the caller's cancellation
    /// cuts it short), so a run shorter than one sample still reports one.
    /// </summary>
    private async Task SampleAsync(string agent, List<ResourceSample> samples, CancellationToken stopped, CancellationToken cancellationToken)
    {
        try
        {
            while (await sampler.SampleAsync(agent, cancellationToken) is { } sample)
            {
                samples.Add(sample);
                await Task.Delay(SampleInterval, time, stopped);
            }
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            // the run ended
        }
        catch (Exception exception) when (exception is HttpRequestException or BerthApiException)
        {
            // Stats are a side figure: a failed sample ends sampling, never the run. What was sampled so far is reported.
        }
    }
}
