using System.Security.Claims;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Server.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Messaging.Api;

/// <summary>Reads a <see cref="PublishRequest"/> body (bounded) and the <c>Message-Id</c> header into a checked <see cref="OutgoingMessage"/>.</summary>
internal static class PublishBody
{
    /// <summary>The header a publisher names its own message id with (dedupe).</summary>
    public const string MessageIdHeader = "Message-Id";

    // Room for the attributes, key and ids around a body of the largest size.
    private const int MaxRequestBytes = MessageLimits.MaxBodyBytes + (64 * 1024);

    public static async Task<(OutgoingMessage? Message, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, ClaimsPrincipal user, CancellationToken ct, string? correlationId = null, string? replyTo = null)
    {
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.IsNullOrEmpty(mediaType) && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", Secrets.SecretsApi.UnsupportedMediaType,
                $"Send the message as JSON, {{\"body\": …, \"key\": …, \"attributes\": {{…}}}}, with Content-Type application/json, not {mediaType}."));
        }

        if (await BoundedBody.ReadAsync(request, MaxRequestBytes, ct) is not { } bytes)
        {
            return (null, Problems.Problems.PayloadTooLarge(request.HttpContext, MaxRequestBytes, "a message may carry", $"A message body is at most {MessageLimits.MaxBodyBytes} bytes; send larger data by reference (a URL, an artifact)."));
        }

        PublishRequest? body;
        try
        {
            body = bytes.Length == 0 ? new PublishRequest() : JsonSerializer.Deserialize<PublishRequest>(bytes, BerthJson.Options);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Problems.InvalidJson(ex, "body"));
        }

        body ??= new PublishRequest();
        var header = request.Headers[MessageIdHeader].ToString();
        if (header.Length > 0 && body.Id is { } given && given != header)
        {
            return (null, Problems.Problems.BadRequest($"The {MessageIdHeader} header ('{CallerText(header)}') and the body's id ('{CallerText(given)}') differ; send one of them."));
        }

        var message = new OutgoingMessage
        {
            Body = body.Body,
            Key = body.Key,
            Attributes = body.Attributes ?? new Dictionary<string, string>(),
            DedupeId = header.Length > 0 ? header : body.Id,
            Publisher = user.Identity?.Name ?? "unknown",
            CorrelationId = correlationId,
            ReplyTo = replyTo,
        };
        var problems = MessageLimits.Check(message);
        return problems.Count > 0 ? (null, MessagingProblems.InvalidMessage(problems)) : (message, null);
    }

    private static string CallerText(string text) => new([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
