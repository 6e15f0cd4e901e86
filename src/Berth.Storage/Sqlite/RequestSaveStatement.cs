using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The two statements behind <see cref="SqliteRequestStore.SaveAsync"/>, prepared once per batch and bound per row. A request
/// with its message is inserted, or updated when it exists; one without is an update of a stored row. What was accepted
/// (method, target, payload, key, caller) never changes, so an update writes only the columns that do, and the proxy never
/// encodes and encrypts a request's payload again just to record its outcome.
/// </summary>
internal sealed class RequestSaveStatement
{
    private const string Changing =
        """
        state = $state, attempts = $attempts, max_attempts = $max_attempts, updated_at = $updated_at, next_attempt_at = $next_attempt_at,
        finished_at = $finished_at, lease_owner = $lease_owner, lease_expires_at = $lease_expires_at, last_failure = $last_failure,
        last_error = $last_error, response_status = $response_status, response_payload = $response_payload,
        response_truncated = $response_truncated, response_length = $response_length
        """;

    private const string Upsert =
        $"""
        INSERT INTO requests (id, agent, state, method, target, request_payload, body_length, idempotency_key, idempotency_scope, fingerprint, caller, caller_agent,
            attempts, max_attempts, accepted_at, updated_at, next_attempt_at, finished_at, lease_owner, lease_expires_at, last_failure, last_error,
            response_status, response_payload, response_truncated, response_length)
        VALUES ($id, $agent, $state, $method, $target, $request_payload, $body_length, $idempotency_key, $idempotency_scope, $fingerprint, $caller, $caller_agent,
            $attempts, $max_attempts, $accepted_at, $updated_at, $next_attempt_at, $finished_at, $lease_owner, $lease_expires_at, $last_failure, $last_error,
            $response_status, $response_payload, $response_truncated, $response_length)
        ON CONFLICT (id) DO UPDATE SET {Changing}
        """;

    private const string Update = $"UPDATE requests SET {Changing} WHERE id = $id";

    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _update;
    private readonly IPayloadProtector? _protector;

    public RequestSaveStatement(SqliteConnection connection, SqliteTransaction transaction, IPayloadProtector? protector)
    {
        _upsert = connection.CreateCommand();
        _upsert.CommandText = Upsert;
        _upsert.Transaction = transaction;
        _update = connection.CreateCommand();
        _update.CommandText = Update;
        _update.Transaction = transaction;
        _protector = protector;
    }

    public Task<int> ExecuteAsync(ProxiedRequest r, CancellationToken cancellationToken)
    {
        var command = r.Message is null ? _update : _upsert;
        command.Parameters.Clear();
        var response = r.Response;
        Add(command, "$id", r.Id);
        Add(command, "$state", StoredEnum<RequestState>.ToText(r.State));
        Add(command, "$attempts", r.Attempts);
        Add(command, "$max_attempts", r.MaxAttempts);
        Add(command, "$updated_at", StoredTime.Format(r.UpdatedAt));
        Add(command, "$next_attempt_at", StoredTime.Format(r.NextAttemptAt));
        Add(command, "$finished_at", StoredTime.Format(r.FinishedAt));
        Add(command, "$lease_owner", r.LeaseOwner);
        Add(command, "$lease_expires_at", StoredTime.Format(r.LeaseExpiresAt));
        Add(command, "$last_failure", r.LastFailure is { } f ? StoredEnum<DeliveryFailure>.ToText(f) : null);
        Add(command, "$last_error", r.LastError);
        Add(command, "$response_status", response?.Status);
        Add(command, "$response_payload", response is null ? null : MessageCodec.Encode(response.Message, r.Id, _protector));
        Add(command, "$response_truncated", response?.Truncated == true ? 1 : 0);
        Add(command, "$response_length", response?.Length);
        if (r.Message is { } message)
        {
            Add(command, "$agent", r.AgentName);
            Add(command, "$method", r.Method);
            Add(command, "$target", r.Target);
            Add(command, "$request_payload", MessageCodec.Encode(message, r.Id, _protector));
            Add(command, "$body_length", r.BodyLength);
            Add(command, "$idempotency_key", r.IdempotencyKey);
            Add(command, "$idempotency_scope", r.IdempotencyKey is null ? null : r.IdempotencyScope ?? r.Caller);
            Add(command, "$fingerprint", r.Fingerprint);
            Add(command, "$caller", r.Caller);
            Add(command, "$caller_agent", r.CallerAgent);
            Add(command, "$accepted_at", StoredTime.Format(r.AcceptedAt));
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(SqliteCommand command, string name, object? value) => command.Parameters.AddWithValue(name, value ?? DBNull.Value);
}
