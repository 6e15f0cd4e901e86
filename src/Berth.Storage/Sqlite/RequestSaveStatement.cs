using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The two statements behind <see cref="SqliteRequestStore.SaveAsync"/>, prepared once for the writer's connection and
/// bound per row (their parameters are created once; each row sets their values). A request with its message is inserted,
/// or updated when it exists; one without is an update of a stored row. What was accepted (method, target, payload, key,
/// caller) never changes, so an update writes only the columns that do, and the proxy never encodes and encrypts a
/// request's payload again just to record its outcome.
/// </summary>
internal sealed class RequestSaveStatement : IDisposable
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

    private static readonly string[] ChangingNames =
    [
        "$id", "$state", "$attempts", "$max_attempts", "$updated_at", "$next_attempt_at", "$finished_at", "$lease_owner", "$lease_expires_at",
        "$last_failure", "$last_error", "$response_status", "$response_payload", "$response_truncated", "$response_length",
    ];

    private static readonly string[] AcceptedNames =
    [
        "$agent", "$method", "$target", "$request_payload", "$body_length", "$idempotency_key", "$idempotency_scope", "$fingerprint", "$caller",
        "$caller_agent", "$accepted_at",
    ];

    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _update;
    private readonly IPayloadProtector? _protector;

    public RequestSaveStatement(SqliteConnection connection, IPayloadProtector? protector)
    {
        _upsert = Create(connection, Upsert, [.. ChangingNames, .. AcceptedNames]);
        _update = Create(connection, Update, ChangingNames);
        _protector = protector;
    }

    /// <summary>Runs the statements in <paramref name="transaction"/> from now on.</summary>
    public void Use(SqliteTransaction? transaction)
    {
        _upsert.Transaction = transaction;
        _update.Transaction = transaction;
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _update.Dispose();
    }

    public Task<int> ExecuteAsync(ProxiedRequest r, CancellationToken cancellationToken)
    {
        var command = r.Message is null ? _update : _upsert;
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

    private static SqliteCommand Create(SqliteConnection connection, string text, IEnumerable<string> names)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        return command;
    }

    // The parameters were created with the command; a row only sets their values.
    private static void Add(SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;
}
