using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Server.Secrets;

namespace Berth.Server.Requests;

/// <summary>Stored requests as the API shows them; every text passes the secret redactor on its way out.</summary>
internal static class RequestViews
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static RequestView Summary(ProxiedRequest r, SecretRedactor redactor) => new()
    {
        Id = r.Id,
        Sequence = r.Sequence,
        Agent = r.AgentName,
        State = r.State,
        Method = r.Method,
        Target = redactor.Redact(r.Target)!,
        Status = r.Response?.Status,
        Attempts = r.Attempts,
        MaxAttempts = r.MaxAttempts,
        LastFailure = r.LastFailure,
        LastError = redactor.Redact(r.LastError),
        IdempotencyKey = r.IdempotencyKey,
        Caller = r.Caller,
        AcceptedAt = r.AcceptedAt,
        NextAttemptAt = r.NextAttemptAt,
        FinishedAt = r.FinishedAt,
    };

    public static RequestDetail Detail(ProxiedRequest r, SecretRedactor redactor) => new(
        Summary(r, redactor),
        Message(r.Message ?? new StoredMessage(), redactor),
        r.Response is { } response ? new ResponseView(response.Status, Message(response.Message, redactor), response.Truncated, response.Length) : null);

    private static MessageView Message(StoredMessage message, SecretRedactor redactor)
    {
        var headers = message.Headers.Select(h => new KeyValuePair<string, string>(h.Key, redactor.Redact(h.Value)!)).ToList();
        try
        {
            return new MessageView(headers, redactor.Redact(StrictUtf8.GetString(message.Body))!, "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return new MessageView(headers, Convert.ToBase64String(message.Body), "base64");
        }
    }
}
