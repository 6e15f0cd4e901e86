using System.Data;
using System.Text;
using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>
/// What <see cref="IRequestStore.SaveAsync"/> writes for one request, the same on every engine: a request with its message
/// is inserted, or updated when its id is stored; one without is an update of a stored row. What was accepted (method,
/// target, payload, key, caller) never changes, so an update writes only the columns that do, and the proxy never encodes and
/// encrypts a request's payload again just to record its outcome. The statements are built from one column list, with the
/// engine's way of naming a parameter (<c>$state</c> on SQLite, <c>$2</c> on PostgreSQL), and <see cref="Values"/> lists a
/// request's values in that order.
/// </summary>
internal static class RequestSave
{
    /// <summary>The columns every save writes: the id, then what changes as a request is delivered.</summary>
    public static readonly IReadOnlyList<(string Name, DbType Type)> Changing =
    [
        ("id", DbType.String), ("state", DbType.String), ("attempts", DbType.Int64), ("max_attempts", DbType.Int64),
        ("updated_at", DbType.String), ("next_attempt_at", DbType.String), ("finished_at", DbType.String), ("lease_owner", DbType.String),
        ("lease_expires_at", DbType.String), ("last_failure", DbType.String), ("last_error", DbType.String), ("response_status", DbType.Int64),
        ("response_payload", DbType.Binary), ("response_truncated", DbType.Int32), ("response_length", DbType.Int64),
    ];

    /// <summary>The columns only an insert writes: what was accepted.</summary>
    public static readonly IReadOnlyList<(string Name, DbType Type)> Accepted =
    [
        ("agent", DbType.String), ("method", DbType.String), ("target", DbType.String), ("request_payload", DbType.Binary),
        ("body_length", DbType.Int64), ("idempotency_key", DbType.String), ("idempotency_scope", DbType.String), ("fingerprint", DbType.String),
        ("caller", DbType.String), ("caller_agent", DbType.String), ("accepted_at", DbType.String),
    ];

    /// <summary>Every column of an insert, in the order of <see cref="Values"/> for a request with its message.</summary>
    public static readonly IReadOnlyList<(string Name, DbType Type)> All = [.. Changing, .. Accepted];

    /// <summary>
    /// Inserts a request, or updates the changing columns of the stored one with the same id. The key's unique index
    /// (<c>ux_requests_key</c>) is not a conflict target: a key another request holds fails the statement.
    /// </summary>
    public static string Upsert(Func<int, string> parameter)
    {
        var text = new StringBuilder("INSERT INTO requests (");
        text.AppendJoin(", ", All.Select(c => c.Name)).Append(") VALUES (");
        text.AppendJoin(", ", All.Select((_, i) => parameter(i))).Append(") ON CONFLICT (id) DO UPDATE SET ");
        return text.Append(Set(parameter)).ToString();
    }

    /// <summary>Updates the changing columns of the stored request; no row when its id is not stored.</summary>
    public static string Update(Func<int, string> parameter) => $"UPDATE requests SET {Set(parameter)} WHERE id = {parameter(0)}";

    /// <summary>
    /// The request's values in the order of <see cref="All"/> when it has its message (the upsert), else of
    /// <see cref="Changing"/> (the update). Payloads are encoded and protected here.
    /// </summary>
    public static object?[] Values(ProxiedRequest r, IPayloadProtector? protector)
    {
        var response = r.Response;
        var values = new object?[r.Message is null ? Changing.Count : All.Count];
        values[0] = r.Id;
        values[1] = StoredEnum<RequestState>.ToText(r.State);
        values[2] = (long)r.Attempts;
        values[3] = (long)r.MaxAttempts;
        values[4] = StoredTime.Format(r.UpdatedAt);
        values[5] = StoredTime.Format(r.NextAttemptAt);
        values[6] = StoredTime.Format(r.FinishedAt);
        values[7] = r.LeaseOwner;
        values[8] = StoredTime.Format(r.LeaseExpiresAt);
        values[9] = r.LastFailure is { } f ? StoredEnum<DeliveryFailure>.ToText(f) : null;
        values[10] = r.LastError;
        values[11] = (long?)response?.Status;
        values[12] = response is null ? null : MessageCodec.Encode(response.Message, r.Id, protector);
        values[13] = response?.Truncated == true ? 1 : 0;
        values[14] = response?.Length;
        if (r.Message is { } message)
        {
            values[15] = r.AgentName;
            values[16] = r.Method;
            values[17] = r.Target;
            values[18] = MessageCodec.Encode(message, r.Id, protector);
            values[19] = r.BodyLength;
            values[20] = r.IdempotencyKey;
            values[21] = KeyScope(r);
            values[22] = r.Fingerprint;
            values[23] = r.Caller;
            values[24] = r.CallerAgent;
            values[25] = StoredTime.Format(r.AcceptedAt);
        }

        return values;
    }

    /// <summary>The scope the request's key is stored in: its own, else the caller's; null without a key.</summary>
    public static string? KeyScope(ProxiedRequest r) => r.IdempotencyKey is null ? null : r.IdempotencyScope ?? r.Caller;

    /// <summary>The error for a save of <paramref name="r"/> whose key another request holds (the key's unique index refused it).</summary>
    public static IdempotencyKeyTakenException KeyTaken(ProxiedRequest r, Exception cause) =>
        new($"request {r.Id} was not stored: idempotency key '{r.IdempotencyKey}' of {KeyScope(r)} for agent '{r.AgentName}' is held by another request", cause)
        {
            RequestId = r.Id,
            AgentName = r.AgentName,
            Scope = KeyScope(r),
            Key = r.IdempotencyKey,
        };

    /// <summary>The error for an update of <paramref name="r"/> (saved without its message) whose id is not stored.</summary>
    public static ArgumentException NotStored(ProxiedRequest r, string parameterName) =>
        new($"request {r.Id} was saved without its message but is not stored yet; save it with its message first", parameterName);

    private static string Set(Func<int, string> parameter) =>
        string.Join(", ", Changing.Select((c, i) => (c.Name, i)).Skip(1).Select(c => $"{c.Name} = {parameter(c.i)}"));
}
