using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;

namespace Berth.Core.Workflows.Expressions;

/// <summary>Checks the shape of a path when parsed and walks it through a scope when evaluated.</summary>
internal static class PathResolver
{
    public const string StepFields = "stdout, exitCode, status, body, files['/path'], outputs.NAME or items[i]";

    private enum Shape
    {
        Step,
        Scalar,
        Json,
        Files,
        File,
        Outputs,

        // outputs.NAME: a plugin's output (any JSON) or a child workflow's step; which one is known only when it runs.
        OutputsEntry,
        Items,
    }

    /// <summary>Reports a step path that can never resolve (<c>steps.a.stdout.x</c>, <c>steps.a.files</c>) at the segment that breaks it.</summary>
    public static void CheckStepPath(IReadOnlyList<Segment> segments, int end, Func<int, string, ExpressionException> error)
    {
        var shape = Shape.Step;
        var fromItems = false;
        foreach (var segment in segments)
        {
            (shape, fromItems) = Next(shape, segment, fromItems) is { } next
                ? next
                : throw error(segment.Position, Problem(shape, segment));
        }

        var missing = shape switch
        {
            Shape.Step when !fromItems => $"pick a field of the step: {StepFields}",
            Shape.Files => "files needs a path: files['/out/result.txt']",
            Shape.Outputs => "outputs needs a name: a plugin's output (outputs.summary) or a child workflow's step (outputs.STEP.stdout)",
            _ => null,
        };
        if (missing is not null)
        {
            throw error(end, missing);
        }
    }

    public static Value Resolve(PathRoot root, string? name, IReadOnlyList<Segment> segments, ExpressionScope scope)
    {
        switch (root)
        {
            case PathRoot.Index:
                return Value.Of(scope.Index is { } index ? JsonValue.Create(index) : throw NotInForEach("index"));
            case PathRoot.Item:
                return scope.Index is null ? throw NotInForEach("item") : Walk(scope.Item, "item", segments, 0, scope);
            case PathRoot.Trigger:
                if (scope.Trigger is null)
                {
                    throw new ExpressionException("trigger is only set in a run a trigger started (a workflow with on.message)");
                }

                scope.Trigger.TryGetPropertyValue(name!, out var started);
                return Walk(started, $"trigger.{name}", segments, 0, scope);
            case PathRoot.Inputs:
                scope.Inputs.TryGetPropertyValue(name!, out var input);
                return Walk(input, $"inputs.{name}", segments, 0, scope);
            default:
                return scope.Steps.TryGetValue(name!, out var outputs)
                    ? Walk(outputs, $"steps.{name}", segments, 0, scope)
                    : throw new ExpressionException($"step '{name}' has no outputs: it has not finished, was skipped, or failed");
        }
    }

    private static Value Walk(StepOutputs step, string path, IReadOnlyList<Segment> segments, int at, ExpressionScope scope)
    {
        if (at == segments.Count)
        {
            return Value.Of(ToJson(step));
        }

        var segment = segments[at];
        var field = $"{path}.{segment.Name}";
        switch (segment.Name)
        {
            case "stdout":
                return Value.Of(JsonValue.Create(step.Stdout ?? throw Missing(field, "only a container step has stdout")));
            case "exitCode":
                return Value.Of(JsonValue.Create(step.ExitCode ?? throw Missing(field, "only a container step has an exit code")));
            case "status":
                return Value.Of(JsonValue.Create(step.Status ?? throw Missing(field, "only an agent or plugin step has a status")));
            case "body":
                return Walk(step.Body, field, segments, at + 1, scope);
            case "files":
                var file = segments[at + 1].Name!;
                return step.Files.TryGetValue(file, out var artifact)
                    ? new Value(null, artifact)
                    : throw new ExpressionException($"{path}.files['{file}'] is not among the step's output files ({(step.Files.Count == 0 ? "it has none" : string.Join(", ", step.Files.Keys.Order(StringComparer.Ordinal)))}); list it, or a directory holding it, in the step's outputs");
            case "outputs" when step.PluginOutputs is { } plugin:
                return Walk(plugin, field, segments, at + 1, scope);
            case "outputs":
                var child = segments[at + 1].Name!;
                return step.Outputs?.TryGetValue(child, out var childOutputs) == true
                    ? Walk(childOutputs, $"{field}.{child}", segments, at + 2, scope)
                    : throw Missing($"{field}.{child}", step.Outputs is null ? "only a workflow or plugin step has outputs" : $"the child workflow has no outputs of step '{child}'");
            default:
                var items = step.Items ?? throw Missing(field, "only a forEach step has items");
                if (at + 1 == segments.Count)
                {
                    return Value.Of(new JsonArray(items.Select(item => (JsonNode?)ToJson(item)).ToArray()));
                }

                var i = segments[at + 1].Index!.Value;
                return i >= 0 && i < items.Count
                    ? Walk(items[i], $"{field}[{i}]", segments, at + 2, scope)
                    : throw Missing($"{field}[{i}]", $"the step has {items.Count} items");
        }
    }

    private static Value Walk(JsonNode? node, string path, IReadOnlyList<Segment> segments, int at, ExpressionScope scope)
    {
        for (; at < segments.Count; at++)
        {
            var segment = segments[at];
            if (segment.Name is { } name)
            {
                node = node is JsonObject map
                    ? map.TryGetPropertyValue(name, out var value) ? value : throw Missing($"{path}.{name}", $"{path} has no field '{name}'{Fields(map)}")
                    : throw Missing($"{path}.{name}", $"{path} is {JsonValues.Describe(node)}, not an object");
            }
            else
            {
                var index = segment.Index!.Value;
                node = node is JsonArray list
                    ? index >= 0 && index < list.Count ? list[index] : throw Missing($"{path}[{index}]", $"{path} has {list.Count} items")
                    : throw Missing($"{path}[{index}]", $"{path} is {JsonValues.Describe(node)}, not a list");
            }

            path += segment.ToString();
        }

        return Value.Of(node?.DeepClone());
    }

    private static (Shape, bool)? Next(Shape shape, Segment segment, bool fromItems) => shape switch
    {
        Shape.Json => (Shape.Json, fromItems),
        Shape.Step => segment.Name switch
        {
            "stdout" or "exitCode" or "status" => (Shape.Scalar, false),
            "body" => (Shape.Json, false),
            "files" => (Shape.Files, false),
            "outputs" => (Shape.Outputs, false),
            "items" => (Shape.Items, false),
            _ => null,
        },
        Shape.Files when segment.Name is ['/', ..] => (Shape.File, false),
        Shape.Outputs when segment.Name is not null => (Shape.OutputsEntry, false),
        Shape.OutputsEntry => (Shape.Json, false),
        Shape.Items when segment.Index is not null => (Shape.Step, true),
        _ => null,
    };

    private static string Problem(Shape shape, Segment segment) => shape switch
    {
        Shape.Step => $"unknown step field '{segment.Name ?? segment.ToString()}'; expected {StepFields}",
        Shape.Files => "files takes an absolute path: files['/out/result.txt']",
        Shape.Outputs => "outputs takes a name: a plugin's output (outputs.summary) or a child workflow's step (outputs.STEP)",
        Shape.Items => "items takes an index: items[0]",
        Shape.File => "a file has no fields",
        _ => "stdout, exitCode and status have no fields",
    };

    private static JsonObject ToJson(StepOutputs step)
    {
        var json = new JsonObject();
        if (step.Stdout is not null)
        {
            json["stdout"] = step.Stdout;
        }

        if (step.ExitCode is not null)
        {
            json["exitCode"] = step.ExitCode;
        }

        if (step.Status is not null)
        {
            json["status"] = step.Status;
        }

        if (step.Body is not null)
        {
            json["body"] = step.Body.DeepClone();
        }

        if (step.PluginOutputs is not null)
        {
            json["outputs"] = step.PluginOutputs.DeepClone();
        }

        return json;
    }

    private static string Fields(JsonObject map) =>
        map.Count == 0 ? " (it is empty)" : $" (it has {string.Join(", ", map.Select(p => p.Key).Take(10))}{(map.Count > 10 ? ", …" : string.Empty)})";

    private static ExpressionException Missing(string path, string why) => new($"{path} does not exist: {why}");

    private static ExpressionException NotInForEach(string name) => new($"{name} is only set in a step with forEach");
}
