using System.Globalization;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Core.Serialization;

namespace Berth.Client;

/// <summary>The <c>/api/v1/requests</c> routes: requests the durable proxy stored, their answers, and requeueing or deleting them.</summary>
public sealed partial class BerthClient
{
    private const string RequestsPath = "api/v1/requests";

    /// <summary>
    /// Stored requests, newest first. <paramref name="agent"/> and <paramref name="state"/> filter exactly; <paramref name="since"/> is a
    /// duration like <c>10m</c> or an ISO 8601 time; <paramref name="limit"/> is 1 to 1000 (server default 100);
    /// <paramref name="beforeSequence"/> pages to older requests (pass the last <see cref="RequestView.Sequence"/> seen).
    /// An agent's own token sees only the requests it sent or received.
    /// </summary>
    public async Task<IReadOnlyList<RequestView>> ListRequestsAsync(
        string? agent = null, RequestState? state = null, string? since = null, int? limit = null, long? beforeSequence = null,
        CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(agent))
        {
            query.Add($"agent={Escape(agent)}");
        }

        if (state is { } wanted)
        {
            query.Add($"state={RequestStateName(wanted)}");
        }

        if (!string.IsNullOrWhiteSpace(since))
        {
            query.Add($"since={Escape(since)}");
        }

        if (limit is { } count)
        {
            query.Add($"limit={count.ToString(CultureInfo.InvariantCulture)}");
        }

        if (beforeSequence is { } before)
        {
            query.Add($"before={before.ToString(CultureInfo.InvariantCulture)}");
        }

        var path = query.Count == 0 ? RequestsPath : $"{RequestsPath}?{string.Join('&', query)}";
        return await SendAsync<List<RequestView>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>One stored request with what was sent and the stored answer; a 404 <see cref="Errors.BerthApiException"/> when there is none.</summary>
    public Task<RequestDetail> GetRequestAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<RequestDetail>(HttpMethod.Get, RequestPath(id), null, cancellationToken);

    /// <summary>
    /// Puts a completed or dead-lettered request back on its agent's queue with its attempts reset (operator); the answer is the
    /// request as queued. A request still on its way is a 409 <see cref="Errors.BerthApiException"/>.
    /// </summary>
    public Task<RequestView> RequeueRequestAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<RequestView>(HttpMethod.Post, $"{RequestPath(id)}/requeue", null, cancellationToken);

    /// <summary>Deletes a completed or dead-lettered request (operator), which acknowledges a dead letter; a request still on its way is a 409.</summary>
    public async Task DeleteRequestAsync(string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, RequestPath(id));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// Deletes every request of <paramref name="agent"/> in <paramref name="state"/> (operator), which must be
    /// <see cref="RequestState.Completed"/> or <see cref="RequestState.DeadLettered"/>. Returns how many were deleted.
    /// </summary>
    public async Task<int> PurgeRequestsAsync(string agent, RequestState state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        if (state is not (RequestState.Completed or RequestState.DeadLettered))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Only completed or dead-lettered requests can be purged.");
        }

        var path = $"{RequestsPath}?agent={Escape(agent)}&state={RequestStateName(state)}";
        var result = await SendAsync<PurgeAnswer>(HttpMethod.Delete, path, null, cancellationToken);
        return result.Deleted;
    }

    private static string RequestPath(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return $"{RequestsPath}/{Escape(id)}";
    }

    private static string RequestStateName(RequestState state) => JsonSerializer.Serialize(state, BerthClientJson.TypeInfo<RequestState>()).Trim('"');
}
