using System.Net;
using System.Text.Json;
using Berth.Core.Specs;

namespace Berth.Client.Errors;

/// <summary>Turns an error response into a <see cref="BerthApiException"/>, tolerating bodies that are not problem documents.</summary>
internal static class ProblemReader
{
    private const int MaxDetailLength = 500;

    public static async Task<BerthApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackTitle = response.ReasonPhrase ?? DefaultTitle(response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return new BerthApiException(status, fallbackTitle);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new BerthApiException(status, fallbackTitle, Truncate(body));
            }

            return new BerthApiException(
                status,
                GetString(root, "title") ?? fallbackTitle,
                GetString(root, "detail"),
                GetString(root, "type"),
                ReadErrors(root));
        }
        catch (JsonException)
        {
            return new BerthApiException(status, fallbackTitle, Truncate(body));
        }
    }

    private static List<SpecError> ReadErrors(JsonElement root)
    {
        var errors = new List<SpecError>();
        if (!root.TryGetProperty("errors", out var element))
        {
            return errors;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
            {
                errors.Add(new SpecError(
                    GetString(item, "path") ?? "",
                    GetString(item, "message") ?? item.ToString(),
                    GetInt(item, "line"),
                    GetInt(item, "column")));
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            // ASP.NET's own validation problems map each field to an array of messages.
            foreach (var field in element.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Select(m => m.ToString())
                    : [field.Value.ToString()];
                errors.AddRange(messages.Select(m => new SpecError(field.Name, m)));
            }
        }

        return errors;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? GetInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    private static string Truncate(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxDetailLength ? trimmed : trimmed[..MaxDetailLength] + "…";
    }

    private static string DefaultTitle(HttpStatusCode status) => $"HTTP {(int)status}";
}
