using Microsoft.AspNetCore.Http;

namespace Berth.Server.Requests;

/// <summary>
/// Tells an in-process caller of the durable proxy (an MCP <c>call_agent</c> that became a task) the id of the stored
/// request its call maps to, as soon as the record is committed (or, for a repeated <c>Idempotency-Key</c>, found), so it
/// can answer with a task without waiting for the agent. Carried as a feature of the call's <see cref="HttpContext"/>;
/// HTTP clients of the proxy have none.
/// </summary>
internal sealed class StoredRequestSignal
{
    private readonly TaskCompletionSource<string> _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the stored request's id; never completes when the call stored nothing (persistence off, refused).</summary>
    public Task<string> Stored => _stored.Task;

    /// <summary>Reports that request <paramref name="id"/> is in the store, to the signal <paramref name="context"/> carries if any; only the first report counts.</summary>
    public static void Report(HttpContext context, string id) => context.Features.Get<StoredRequestSignal>()?._stored.TrySetResult(id);
}
