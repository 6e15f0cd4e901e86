using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Core.Specs;

namespace Berth.Core.Plugins;

/// <summary>Stage7's <c>container</c> section as a <c>spec.container</c>: build or image, one port, environment, resources and health check.</summary>
internal static partial class Stage7Container
{
    private static readonly string[] Known = ["dockerfile", "buildContext", "image", "ports", "environment", "resources", "healthCheck"];

    public static JsonObject Convert(JsonObject container, List<string> notes, List<SpecError> errors)
    {
        var converted = new JsonObject();
        var dockerfile = Stage7Manifest.Text(container, "dockerfile");
        var context = Stage7Manifest.Text(container, "buildContext") is { } given ? (given.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : ".") : null;
        var image = Stage7Manifest.Text(container, "image");
        if (dockerfile is not null || context is not null)
        {
            converted["build"] = new JsonObject { ["context"] = context ?? ".", ["dockerfile"] = dockerfile ?? "Dockerfile" };
            notes.Add($"container.dockerfile/buildContext became spec.container.build (context {context ?? "."}, dockerfile {dockerfile ?? "Dockerfile"})");
            if (image is not null)
            {
                notes.Add($"container.image '{image}' dropped: Berth builds the image from the Dockerfile and names it itself");
            }
        }
        else if (image is not null)
        {
            converted["image"] = image;
        }

        ConvertPorts(container["ports"], converted, notes, errors);
        ConvertEnvironment(container["environment"], converted, errors);
        ConvertResources(container["resources"], converted, notes);
        if (container["healthCheck"] is JsonObject health)
        {
            converted["health"] = ConvertHealth(health, notes, errors);
        }

        var dropped = container.Select(p => p.Key).Where(k => !Known.Contains(k, StringComparer.Ordinal)).ToList();
        if (dropped.Count > 0)
        {
            notes.Add($"container fields dropped (no Berth equivalent): {string.Join(", ", dropped)}");
        }

        return converted;
    }

    private static void ConvertPorts(JsonNode? node, JsonObject converted, List<string> notes, List<SpecError> errors)
    {
        if (node is null)
        {
            return;
        }

        var ports = node as JsonArray ?? [node.DeepClone()];
        if (ports.Count == 0)
        {
            return;
        }

        // A port is 8080, "8080", "8080:8080" (host:container) or { container, host }; Berth publishes on loopback itself.
        int? port = ports[0] switch
        {
            JsonObject mapping => Number(mapping["container"] ?? mapping["containerPort"]),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => int.TryParse(value.GetValue<string>().Split(':')[^1].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null,
            var other => Number(other),
        };
        if (port is null)
        {
            errors.Add(new SpecError("container.ports[0]", "expected a container port: 8080, \"8080:8080\" or { container: 8080 }"));
            return;
        }

        converted["port"] = port;
        notes.Add($"container.ports became spec.container.port {port}{(ports.Count > 1 ? $"; {ports.Count - 1} more port(s) dropped: a plugin takes calls on one port" : "")}; host ports are not used (Berth publishes on 127.0.0.1)");
    }

    private static void ConvertEnvironment(JsonNode? node, JsonObject converted, List<SpecError> errors)
    {
        var env = new JsonObject();
        if (node is JsonObject map)
        {
            foreach (var (name, value) in map)
            {
                env[name] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
            }
        }
        else if (node is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is JsonObject pair && Stage7Manifest.Text(pair, "name") is { } name)
                {
                    env[name] = Stage7Manifest.Text(pair, "value") ?? "";
                }
                else
                {
                    errors.Add(new SpecError($"container.environment[{i}]", "expected { name, value }"));
                }
            }
        }

        if (env.Count > 0)
        {
            converted["env"] = env;
        }
    }

    private static void ConvertResources(JsonNode? node, JsonObject converted, List<string> notes)
    {
        if (node is not JsonObject resources)
        {
            return;
        }

        var limits = new JsonObject();
        if (resources["memory"] is JsonValue memory)
        {
            var text = memory.GetValueKind() == JsonValueKind.String ? memory.GetValue<string>() : memory.ToJsonString();
            var match = DockerSize().Match(text);
            limits["memory"] = match.Success ? $"{match.Groups[1].Value}{char.ToUpperInvariant(match.Groups[2].Value[0])}i" : text;
            if (match.Success)
            {
                notes.Add($"container.resources.memory '{text}' (Docker's binary units) became {limits["memory"]}");
            }
        }

        if ((resources["cpu"] ?? resources["cpus"]) is JsonValue cpu)
        {
            limits["cpus"] = cpu.DeepClone();
        }

        if (limits.Count > 0)
        {
            converted["resources"] = limits;
        }
    }

    private static JsonObject ConvertHealth(JsonObject health, List<string> notes, List<SpecError> errors)
    {
        var converted = new JsonObject { ["path"] = "/health" };
        if ((Stage7Manifest.Text(health, "path") ?? Stage7Manifest.Text(health, "endpoint")) is { } path)
        {
            converted["path"] = path;
        }

        foreach (var field in (string[])["interval", "timeout", "startPeriod"])
        {
            switch (health[field])
            {
                case JsonValue seconds when seconds.GetValueKind() == JsonValueKind.Number && seconds.TryGetValue<double>(out var s):
                    converted[field] = Duration.Format(TimeSpan.FromSeconds(s));
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"container.healthCheck.{field} {s} (seconds) became {converted[field]}"));
                    break;
                case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                    converted[field] = text.GetValue<string>();
                    break;
                case null:
                    break;
                default:
                    errors.Add(new SpecError($"container.healthCheck.{field}", "expected seconds (30) or a duration (30s)"));
                    break;
            }
        }

        Stage7Manifest.Copy(health, "retries", converted, "retries");
        if (health["command"] is not null || health["test"] is not null)
        {
            notes.Add("container.healthCheck command dropped: Berth probes the health path over HTTP");
        }

        return converted;
    }

    private static int? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    [GeneratedRegex(@"^\s*(\d+)\s*([kmgKMG])[bB]?\s*$")]
    private static partial Regex DockerSize();
}
