using Berth.Core.Requests;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Berth.Server.Reconciliation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Server.Requests;

/// <summary>
/// The proxy path of agents with persistence on: the request is committed to the store before it is forwarded. A healthy
/// agent with nothing queued gets it at once (the answer streams back as it comes); otherwise it queues for the dispatcher
/// and the caller waits up to its <c>Berth-Wait</c> before getting 202 with the request's location.
/// </summary>
internal sealed class DurableProxy(
    RequestJournal journal,
    RequestCompletions completions,
    RequestDispatcher dispatcher,
    IdempotencyLocks locks,
    IRequestStore store,
    AttemptSender sender,
    ServerId server,
    IOptions<BerthOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time)
{
    /// <summary>Request header: how long to wait for an agent that is not healthy, as a duration (<c>30s</c>).</summary>
    public const string WaitHeader = "Berth-Wait";

    /// <summary>Request header naming a request that must run at most once per agent.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxKeyLength = 255;

    private BerthOptions.RequestSettings Settings => options.Value.Requests;

    public async Task<IResult> ForwardAsync(HttpContext context, AgentRoute route, string target)
    {
        if (WaitOf(context.Request) is not { } wait)
        {
            return Problems.Problems.BadRequest(
                $"{WaitHeader} must be a duration like 30s, at most {Duration.Format(Settings.MaxWait)}; got '{context.Request.Headers[WaitHeader]}'.");
        }

        var key = context.Request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            return Problems.Problems.BadRequest($"{IdempotencyKeyHeader} must be at most {MaxKeyLength} printable characters.");
        }

        if (await IncomingRequest.ReadAsync(context, route.AgentName, target, Settings.MaxDurableBodyBytes) is not { } incoming)
        {
            return Problems.Problems.PayloadTooLarge(context, Settings.MaxDurableBodyBytes,
                $"agent '{route.AgentName}' stores (its persistence is on)", Problems.Problems.ChangeTheSetting("Berth:Requests:MaxDurableBodyBytes"));
        }

        if (key.Length == 0)
        {
            return await AcceptAsync(context, route, incoming, null, wait);
        }

        ProxiedRequest? earlier;
        using (await locks.EnterAsync(route.AgentName, incoming.IdempotencyScope, key, context.RequestAborted))
        {
            earlier = await store.FindByKeyAsync(route.AgentName, incoming.IdempotencyScope, key, context.RequestAborted);
            if (earlier is null)
            {
                try
                {
                    return await AcceptAsync(context, route, incoming, key, wait);
                }
                catch (IdempotencyKeyTakenException)
                {
                    // The lock above is this server's; another server sharing the database stored the key first. Nothing
                    // was sent (a request is stored before it is forwarded), so this caller gets that request's answer.
                    earlier = await store.FindByKeyAsync(route.AgentName, incoming.IdempotencyScope, key, context.RequestAborted)
                        ?? throw new InvalidOperationException($"{IdempotencyKeyHeader} '{key}' was refused as taken, yet no request holds it");
                }
            }
        }

        if (earlier.Fingerprint != incoming.Fingerprint)
        {
            return Problems.Problems.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", Problems.Problems.IdempotencyMismatchType,
                $"{IdempotencyKeyHeader} '{key}' was already used by you for agent '{route.AgentName}' with a different method, path or body (request {earlier.Id}). " +
                "Use a new key for a different request.");
        }

        NameRequest(context, earlier.Id);
        StoredRequestSignal.Report(context, earlier.Id);
        var finished = IsFinished(earlier) ? earlier : await WaitForEarlierAsync(earlier.Id, wait, context.RequestAborted);
        return StoredAnswers.For(finished, earlier.Id, replayed: true);
    }

    private async Task<IResult> AcceptAsync(HttpContext context, AgentRoute route, IncomingRequest incoming, string? key, TimeSpan wait)
    {
        var now = time.GetUtcNow();
        var endpoint = dispatcher.HasBacklog(route.AgentName) ? null : route.Next();
        var request = new ProxiedRequest
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            AgentName = route.AgentName,
            State = endpoint is null ? RequestState.Accepted : RequestState.Dispatched,
            Method = incoming.Method,
            Target = incoming.Target,
            Message = incoming.Message,
            BodyLength = incoming.Message.Body.Length,
            IdempotencyKey = key,
            IdempotencyScope = key is null ? null : incoming.IdempotencyScope,
            Fingerprint = incoming.Fingerprint,
            Caller = incoming.Caller,
            CallerAgent = incoming.CallerAgent,
            Attempts = endpoint is null ? 0 : 1,
            MaxAttempts = route.Persistence.MaxAttempts,
            AcceptedAt = now,
            UpdatedAt = now,
            LeaseOwner = endpoint is null ? null : server.Value,
            LeaseExpiresAt = endpoint is null ? null : RequestOutcomes.LeaseEnd(now, route.Persistence),
        };

        NameRequest(context, request.Id);
        if (endpoint is null)
        {
            return await QueueAsync(context, request, wait, isNew: true);
        }

        await journal.SaveAsync(request, context.RequestAborted);
        RequestMetrics.RecordAccepted(route.AgentName);
        StoredRequestSignal.Report(context, request.Id);
        return await DeliverNowAsync(context, route, request, endpoint, wait);
    }

    private async Task<IResult> DeliverNowAsync(HttpContext context, AgentRoute route, ProxiedRequest request, Uri endpoint, TimeSpan wait)
    {
        // Delivery runs to the end even if the caller leaves: the request is stored, and its answer should be too.
        var stopping = lifetime.ApplicationStopping;
        AttemptOutcome outcome;
        using (route.Enter(endpoint))
        {
            outcome = await sender.SendAsync(request, endpoint, route.Protocol, route.Persistence.RequestTimeout, stopping);
            if (outcome.Response is { } response)
            {
                using (response)
                {
                    var finished = RequestOutcomes.Completed(request, await CaptureAsync(context, response, stopping), time.GetUtcNow());
                    await RecordAsync(finished, stopping);
                    return context.Response.HasStarted ? Results.Empty : StoredAnswers.For(finished, request.Id, replayed: false);
                }
            }
        }

        var failed = RequestOutcomes.Failed(request, outcome, route.Persistence, time.GetUtcNow());
        if (failed.State == RequestState.DeadLettered)
        {
            await RecordAsync(failed, stopping);
            return StoredAnswers.For(failed, failed.Id, replayed: false);
        }

        return await QueueAsync(context, failed, wait, isNew: false);
    }

    // A request with an Idempotency-Key runs at most once, so its outcome is committed before the caller sees it: a repeat
    // of the key, even after a crash, finds it. Without a key the answer does not wait for the outcome's commit (the journal
    // writes it with the next batch); a crash before that commit leaves the request dispatched, and the next start replays
    // it (at least once, as for a crash mid-delivery). Nothing else waits for such a request, so nothing reads it earlier.
    private async Task RecordAsync(ProxiedRequest finished, CancellationToken stopping)
    {
        if (finished.IdempotencyKey is not null)
        {
            // A repeat of the key may be waiting on another server sharing the store.
            await journal.SaveAsync(finished, stopping);
            await completions.AnnounceAsync(finished, stopping);
        }
        else
        {
            journal.SaveLater(finished);
            completions.Finish(finished);
        }
    }

    // A response of known, storable size is read whole before the caller sees it (so a keyed one is committed first, see
    // RecordAsync); a stream (SSE, chunked) goes out as it comes and is stored when it ends.
    private Task<StoredResponse> CaptureAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.Content.Headers.ContentLength is { } length && length <= Settings.MaxStoredResponseBytes
            ? ResponseCapture.ReadAsync(response, Settings.MaxStoredResponseBytes, cancellationToken)
            : ResponseCapture.StreamAsync(context, response, Settings.MaxStoredResponseBytes, cancellationToken);

    // The wait begins before the save, so an outcome committed at once is not missed; it ends with the save if that fails.
    private async Task<IResult> QueueAsync(HttpContext context, ProxiedRequest request, TimeSpan wait, bool isNew)
    {
        var aborted = context.RequestAborted;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var finished = WaitForAsync(request.Id, wait, waiting.Token);
        try
        {
            await journal.SaveAsync(request, aborted);
        }
        catch
        {
            await waiting.CancelAsync();
            throw;
        }

        if (isNew)
        {
            RequestMetrics.RecordAccepted(request.AgentName);
        }

        StoredRequestSignal.Report(context, request.Id);
        dispatcher.Queued(request.AgentName);
        return StoredAnswers.For(await finished, request.Id, replayed: false);
    }

    private async Task<ProxiedRequest?> WaitForAsync(string id, TimeSpan wait, CancellationToken stop)
    {
        try
        {
            return await completions.WaitAsync(id, wait, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
    }

    // Waits for a request another caller is delivering; it may have finished between the lookup and the wait, hence the second look.
    private async Task<ProxiedRequest?> WaitForEarlierAsync(string id, TimeSpan wait, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var waiting = WaitForAsync(id, wait, stop.Token);
        if (await store.GetAsync(id, aborted) is { } now && IsFinished(now))
        {
            await stop.CancelAsync();
            return now;
        }

        return await waiting;
    }

    // Every answer about a stored request (its response, a stream, a dead letter, a 202) names it; set once, before any of them starts.
    private static void NameRequest(HttpContext context, string id) => context.Response.Headers[AttemptSender.RequestIdHeader] = id;

    private static bool IsFinished(ProxiedRequest request) => request.State is RequestState.Completed or RequestState.DeadLettered;

    private TimeSpan? WaitOf(HttpRequest request)
    {
        var text = request.Headers[WaitHeader].ToString();
        if (text.Length == 0)
        {
            return Settings.DefaultWait;
        }

        return Duration.TryParse(text, out var wait) && wait >= TimeSpan.Zero && wait <= Settings.MaxWait ? wait : null;
    }
}
