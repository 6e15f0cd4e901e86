using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Server.Plugins.Execution;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins.Api;

/// <summary>
/// <c>POST /api/v1/plugins/{reference}/invoke</c> (a call through <see cref="PluginInvoker"/>, its body at most
/// <c>Berth:Plugins:MaxPayloadBytes</c>) and <c>GET /api/v1/plugins/{id}/invocations</c> (the recorded calls).
/// </summary>
internal static class PluginInvokeApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    private const string MaxPayloadSetting = PluginOptions.Section + ":MaxPayloadBytes";

    public static async Task<Results<Ok<PluginInvokeResponse>, ProblemHttpResult>> InvokeAsync(
        string reference, HttpRequest request, ClaimsPrincipal user, PluginInvoker invoker, IOptions<PluginOptions> options, CancellationToken ct)
    {
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.IsNullOrEmpty(mediaType) && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", Secrets.SecretsApi.UnsupportedMediaType,
                $"Send the call as JSON, {{\"inputs\": {{…}}}}, with Content-Type application/json, not {mediaType}.");
        }

        var max = options.Value.MaxPayloadBytes;
        if (await Limits.BoundedBody.ReadAsync(request, max, ct) is not { } body)
        {
            return Problems.Problems.PayloadTooLarge(request.HttpContext, max, "a plugin call may carry", Problems.Problems.ChangeTheSetting(MaxPayloadSetting));
        }

        PluginInvokeRequest? call = null;
        if (body.Length > 0)
        {
            try
            {
                call = JsonSerializer.Deserialize<PluginInvokeRequest>(body, BerthJson.Options);
            }
            catch (JsonException ex)
            {
                return Problems.Problems.InvalidJson(ex, "body");
            }
        }

        try
        {
            var result = await invoker.InvokeAsync(reference, call?.Inputs ?? [], new PluginCaller(user.Identity?.Name ?? "unknown"), ct);
            return TypedResults.Ok(result.ToResponse());
        }
        catch (PluginCallException ex)
        {
            return PluginCallProblems.For(ex);
        }
    }

    public static async Task<Results<Ok<List<PluginInvocationView>>, ProblemHttpResult>> ListInvocationsAsync(
        string id, string? limit, IPluginStore store, PluginInvocationLog log, CancellationToken ct)
    {
        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return Problems.Problems.BadRequest($"limit must be a whole number from 1 to {MaxLimit}; got '{Printable(limit)}'.");
        }

        await log.FlushAsync(ct); // every call that has returned is listed
        var invocations = await store.ListInvocationsAsync(id, count, ct);
        if (invocations.Count == 0 && (await store.ListAsync(id, ct)).Count == 0)
        {
            return PluginProblems.NotFound(id, null);
        }

        return TypedResults.Ok(invocations.Select(PluginInvocationView.From).ToList());
    }

    private static string Printable(string text) => new([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
}
