using System.Globalization;
using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>requests</c> as Dapper reads it.</summary>
internal sealed class RequestRow
{
    public long Sequence { get; init; }

    public string Id { get; init; } = "";

    public string AgentName { get; init; } = "";

    public string State { get; init; } = "";

    public string Method { get; init; } = "";

    public string Target { get; init; } = "";

    public long BodyLength { get; init; }

    public string? IdempotencyKey { get; init; }

    public string? IdempotencyScope { get; init; }

    public string Fingerprint { get; init; } = "";

    public string Caller { get; init; } = "";

    public string? CallerAgent { get; init; }

    public long Attempts { get; init; }

    public long MaxAttempts { get; init; }

    public string AcceptedAt { get; init; } = "";

    public string UpdatedAt { get; init; } = "";

    public string? NextAttemptAt { get; init; }

    public string? FinishedAt { get; init; }

    public string? LeaseOwner { get; init; }

    public string? LeaseExpiresAt { get; init; }

    public string? LastFailure { get; init; }

    public string? LastError { get; init; }

    public long? ResponseStatus { get; init; }

    public long ResponseTruncated { get; init; }

    public long? ResponseLength { get; init; }

    public byte[]? RequestPayload { get; init; }

    public byte[]? ResponsePayload { get; init; }

    public static DateTimeOffset Time(string text, string owner) =>
        StoredTime.TryParse(text, out var time)
            ? time
            : throw new StoredDataException($"{owner} cannot be read: time '{text}' is not an ISO 8601 UTC time. The database was probably edited by hand.");

    public ProxiedRequest ToRequest(IPayloadProtector? protector)
    {
        var owner = $"Request {Id}";
        return new ProxiedRequest
        {
            Id = Id,
            Sequence = Sequence,
            AgentName = AgentName,
            State = StoredEnum<RequestState>.TryParse(State, out var state) ? state : throw Unknown(owner, "state", State),
            Method = Method,
            Target = Target,
            Message = RequestPayload is null ? null : MessageCodec.Decode(RequestPayload, Id, owner, protector),
            BodyLength = BodyLength,
            IdempotencyKey = IdempotencyKey,
            IdempotencyScope = IdempotencyScope,
            Fingerprint = Fingerprint,
            Caller = Caller,
            CallerAgent = CallerAgent,
            Attempts = (int)Attempts,
            MaxAttempts = (int)MaxAttempts,
            AcceptedAt = Time(AcceptedAt, owner),
            UpdatedAt = Time(UpdatedAt, owner),
            NextAttemptAt = NextAttemptAt is null ? null : Time(NextAttemptAt, owner),
            FinishedAt = FinishedAt is null ? null : Time(FinishedAt, owner),
            LeaseOwner = LeaseOwner,
            LeaseExpiresAt = LeaseExpiresAt is null ? null : Time(LeaseExpiresAt, owner),
            LastFailure = LastFailure is null ? null
                : StoredEnum<DeliveryFailure>.TryParse(LastFailure, out var failure) ? failure : throw Unknown(owner, "failure", LastFailure),
            LastError = LastError,
            Response = ResponseStatus is not { } status ? null : new StoredResponse
            {
                Status = (int)status,
                Message = ResponsePayload is null ? new StoredMessage() : MessageCodec.Decode(ResponsePayload, Id, owner + " (response)", protector),
                Truncated = ResponseTruncated != 0,
                Length = ResponseLength ?? 0,
            },
        };
    }

    private static StoredDataException Unknown(string owner, string what, string value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{owner} cannot be read: unknown {what} '{value}'. Was the database written by a newer Berth?"));
}
