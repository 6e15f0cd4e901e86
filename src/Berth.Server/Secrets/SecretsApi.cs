using Berth.Client.Contracts;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Secrets;

/// <summary>The <c>/api/v1/secrets</c> routes: set (admin), list names and dates (operator), delete (admin). No route returns a value.</summary>
internal static class SecretsApi
{
    public const string UnsupportedMediaType = "urn:berth:problem:unsupported-media-type";

    private static readonly string[] ValueMediaTypes = ["text/plain", "application/octet-stream"];

    public static RouteGroupBuilder MapSecretsApi(this RouteGroupBuilder api)
    {
        var secrets = api.MapGroup("/secrets").WithTags("Secrets").RequireAuthorization(BerthPolicies.Operator);
        var changes = secrets.MapGroup("").RequireAuthorization(BerthPolicies.Admin);
        secrets.MapGet("/", ListAsync).WithName("ListSecrets");
        changes.MapPut("/{name}", SetAsync).WithName("SetSecret").Accepts<string>(ValueMediaTypes[0], ValueMediaTypes[1..]);
        changes.MapDelete("/{name}", DeleteAsync).WithName("DeleteSecret");
        return api;
    }

    private static async Task<Ok<List<SecretView>>> ListAsync(SecretVault vault, CancellationToken ct) =>
        TypedResults.Ok((await vault.ListAsync(ct)).Select(ToView).ToList());

    private static async Task<Results<Created<SecretView>, Ok<SecretView>, ProblemHttpResult>> SetAsync(
        string name, HttpRequest request, SecretVault vault, CancellationToken ct)
    {
        if (!SecretNames.IsValid(name))
        {
            return InvalidName(name);
        }

        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.IsNullOrEmpty(mediaType) && !ValueMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return Problems.Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", UnsupportedMediaType,
                $"Send the secret's value as the raw body with Content-Type text/plain or application/octet-stream, not {mediaType}.");
        }

        if (await ReadValueAsync(request, ct) is not { } value)
        {
            return Problems.Problems.PayloadTooLarge(request.HttpContext, SecretVault.MaxValueBytes, "a secret's value may be",
                "Store larger data elsewhere and keep only its key here.");
        }

        if (value.Length == 0)
        {
            return Problems.Problems.BadRequest("The secret's value is empty; send the value as the request body.");
        }

        var result = await vault.SetAsync(name, value, ct);
        var view = ToView(result.Secret);
        return result.Created ? TypedResults.Created($"/api/v1/secrets/{Uri.EscapeDataString(name)}", view) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<SecretRemoveResponse>, ProblemHttpResult>> DeleteAsync(
        string name, SecretVault vault, IAgentStore agents, CancellationToken ct)
    {
        if (!SecretNames.IsValid(name))
        {
            return InvalidName(name);
        }

        if (!await vault.DeleteAsync(name, ct))
        {
            return Problems.Problems.Problem(StatusCodes.Status404NotFound, "Secret not found", Problems.Problems.NotFoundType,
                $"No secret named '{name}'. List secrets with 'berth secrets ls'.");
        }

        var usedBy = (await agents.ListAsync(ct))
            .Where(a => SecretReference.FindAll(a.Spec).Contains(name, StringComparer.Ordinal))
            .Select(a => a.Name)
            .ToList();
        return TypedResults.Ok(new SecretRemoveResponse(name, usedBy));
    }

    /// <summary>The body, or null when it is larger than <see cref="SecretVault.MaxValueBytes"/>; never reads more than one byte past the limit.</summary>
    private static async Task<byte[]?> ReadValueAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > SecretVault.MaxValueBytes)
        {
            return null;
        }

        var buffer = new byte[SecretVault.MaxValueBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        var value = length > SecretVault.MaxValueBytes ? null : buffer[..length];
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        return value;
    }

    private static ProblemHttpResult InvalidName(string name) =>
        Problems.Problems.BadRequest($"'{name}' is not a valid secret name: use {SecretNames.Rule}.");

    private static SecretView ToView(SecretInfo secret) => new(secret.Name, secret.CreatedAt, secret.UpdatedAt);
}
