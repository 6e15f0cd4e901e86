using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Core.Specs;
using Json.Schema;

namespace Berth.Cli.Tests.Init;

/// <summary>
/// The plugin contract checked by direct HTTP against a running instance: <c>/health</c> healthy, each manifest example
/// through <c>/execute</c> successful with outputs valid against the output schema (and equal to the example's when given),
/// <c>/metrics</c> parsed as Prometheus text. One small helper on purpose: once <c>berth plugins check</c> exists, the
/// template tests call that instead.
/// </summary>
internal static partial class PluginContractCheck
{
    /// <summary>Every way the instance breaks the contract of <paramref name="manifestFile"/>; empty when it keeps it.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string manifestFile, Uri instance, CancellationToken cancellationToken)
    {
        var set = SpecReader.Read(await File.ReadAllTextAsync(manifestFile, cancellationToken));
        if (!set.IsValid || set.Plugins.Count != 1)
        {
            return [$"{manifestFile} is not one valid plugin: {string.Join("; ", set.Errors.Select(e => $"{e.Path}: {e.Message}"))}"];
        }

        var plugin = set.Plugins[0];
        var problems = new List<string>();
        using var http = new HttpClient { BaseAddress = instance, Timeout = TimeSpan.FromSeconds(30) };
        var health = await http.GetAsync("health", cancellationToken);
        var healthText = await health.Content.ReadAsStringAsync(cancellationToken);
        if (!health.IsSuccessStatusCode || JsonNode.Parse(healthText)?["status"]?.ToString() != "healthy")
        {
            problems.Add($"health: expected 200 {{\"status\":\"healthy\"}}, got {(int)health.StatusCode} {healthText}");
        }

        if (plugin.Examples.Count == 0)
        {
            problems.Add("examples: the manifest has none");
        }

        var schema = plugin.Outputs is { } outputs ? JsonSchema.FromText(outputs.ToJsonString()) : null;
        for (var i = 0; i < plugin.Examples.Count; i++)
        {
            problems.AddRange(await ExampleAsync(http, plugin, schema, i, cancellationToken));
        }

        var metrics = await http.GetAsync("metrics", cancellationToken);
        problems.AddRange(MetricsProblems((int)metrics.StatusCode, await metrics.Content.ReadAsStringAsync(cancellationToken)));
        return problems;
    }

    private static async Task<List<string>> ExampleAsync(HttpClient http, PluginSpec plugin, JsonSchema? schema, int index, CancellationToken cancellationToken)
    {
        var example = plugin.Examples[index];
        var request = new JsonObject
        {
            ["inputs"] = example.Inputs.DeepClone(),
            ["context"] = new JsonObject { ["invocationId"] = $"check-{index}-{Guid.NewGuid():N}", ["deadline"] = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture) },
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(plugin.Api.Method), plugin.Api.Endpoint.TrimStart('/')) { Content = content }, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var where = $"examples[{index}]";
        if (!response.IsSuccessStatusCode || JsonNode.Parse(text) is not JsonObject answer || answer["success"]?.GetValue<bool>() != true)
        {
            return [$"{where}: expected 200 with success true, got {(int)response.StatusCode} {text}"];
        }

        var problems = new List<string>();
        if (schema is not null)
        {
            using var outputs = JsonDocument.Parse(answer["outputs"]?.ToJsonString() ?? "null");
            if (!schema.Evaluate(outputs.RootElement).IsValid)
            {
                problems.Add($"{where}: outputs {answer["outputs"]?.ToJsonString()} do not match the output schema");
            }
        }

        if (example.Outputs is { } expected && !JsonNode.DeepEquals(expected, answer["outputs"]))
        {
            problems.Add($"{where}: expected outputs {expected.ToJsonString()}, got {answer["outputs"]?.ToJsonString()}");
        }

        return problems;
    }

    private static List<string> MetricsProblems(int status, string text)
    {
        if (status != 200)
        {
            return [$"metrics: expected 200, got {status}"];
        }

        var problems = new List<string>();
        var samples = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = Sample().Match(line);
            if (!match.Success || !double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"metrics: '{line}' is not a Prometheus sample");
            }

            samples++;
        }

        if (samples == 0 || !text.Contains("# TYPE ", StringComparison.Ordinal))
        {
            problems.Add("metrics: expected at least one sample and a # TYPE line");
        }

        return problems;
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (?<value>\S+)( \d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Sample();
}
