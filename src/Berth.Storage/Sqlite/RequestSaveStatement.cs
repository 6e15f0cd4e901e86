using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The upsert behind <see cref="SqliteRequestStore.SaveAsync"/>, prepared once per batch and bound per row. What was accepted
/// (method, target, payload, key, caller) never changes, so an update writes only the columns that do.
/// </summary>
internal static class RequestSaveStatement
{
    private const string Sql =
        """
        INSERT INTO requests (id, agent, state, method, target, request_payload, body_length, idempotency_key, fingerprint, caller, caller_agent,
            attempts, max_attempts, accepted_at, updated_at, next_attempt_at, finished_at, lease_owner, lease_expires_at, last_failure, last_error,
            instance_id, response_status, response_payload, response_truncated, response_length)
        VALUES ($id, $agent, $state, $method, $target, $request_payload, $body_length, $idempotency_key, $fingerprint, $caller, $caller_agent,
            $attempts, $max_attempts, $accepted_at, $updated_at, $next_attempt_at, $finished_at, $lease_owner, $lease_expires_at, $last_failure, $last_error,
            $instance_id, $response_status, $response_payload, $response_truncated, $response_length)
        ON CONFLICT (id) DO UPDATE SET
            state = excluded.state, attempts = excluded.attempts, max_attempts = excluded.max_attempts, updated_at = excluded.updated_at,
            next_attempt_at = excluded.next_attempt_at, finished_at = excluded.finished_at, lease_owner = excluded.lease_owner,
            lease_expires_at = excluded.lease_expires_at, last_failure = excluded.last_failure, last_error = excluded.last_error,
            instance_id = excluded.instance_id, response_status = excluded.response_status, response_payload = excluded.response_payload,
            response_truncated = excluded.response_truncated, response_length = excluded.response_length
        """;

    private static readonly string[] Names =
    [
        "$id", "$agent", "$state", "$method", "$target", "$request_payload", "$body_length", "$idempotency_key", "$fingerprint", "$caller",
        "$caller_agent", "$attempts", "$max_attempts", "$accepted_at", "$updated_at", "$next_attempt_at", "$finished_at", "$lease_owner",
        "$lease_expires_at", "$last_failure", "$last_error", "$instance_id", "$response_status", "$response_payload", "$response_truncated",
        "$response_length",
    ];

    public static SqliteParameter[] Prepare(SqliteCommand command)
    {
        command.CommandText = Sql;
        return Names.Select(n => command.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
    }

    public static void Bind(SqliteParameter[] p, ProxiedRequest r, IPayloadProtector? protector)
    {
        var response = r.Response;
        object?[] values =
        [
            r.Id, r.AgentName, StoredEnum<RequestState>.ToText(r.State), r.Method, r.Target,
            MessageCodec.Encode(r.Message ?? throw new ArgumentException($"request {r.Id} has no message to store", nameof(r)), r.Id, protector),
            r.BodyLength, r.IdempotencyKey, r.Fingerprint, r.Caller, r.CallerAgent, r.Attempts, r.MaxAttempts,
            StoredTime.Format(r.AcceptedAt), StoredTime.Format(r.UpdatedAt), StoredTime.Format(r.NextAttemptAt), StoredTime.Format(r.FinishedAt),
            r.LeaseOwner, StoredTime.Format(r.LeaseExpiresAt), r.LastFailure is { } f ? StoredEnum<DeliveryFailure>.ToText(f) : null, r.LastError,
            r.InstanceId, response?.Status, response is null ? null : MessageCodec.Encode(response.Message, r.Id, protector), response?.Truncated == true ? 1 : 0,
            response?.Length,
        ];
        for (var i = 0; i < p.Length; i++)
        {
            p[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
