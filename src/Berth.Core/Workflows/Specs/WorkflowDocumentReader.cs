using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Specs.Yaml;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Workflows.Specs;

/// <summary>Reads the <c>spec</c> mapping of a <c>kind: Workflow</c> document into a <see cref="WorkflowSpec"/>.</summary>
internal sealed class WorkflowDocumentReader(NodeReader reader)
{
    public static readonly string[] SpecFields = ["inputs", "concurrency", "timeout", "steps", "schedule"];
    public static readonly string[] StepKinds = ["container", "agent", "workflow"];

    private static readonly string[] InputFields = ["type", "required", "default", "description"];
    private static readonly string[] InputTypeNames = ["string", "number", "boolean", "list", "object"];
    private static readonly string[] ScheduleFields = ["cron", "inputs"];

    public WorkflowSpec Read(string name, YamlMappingNode spec, string path)
    {
        var workflow = new WorkflowSpec { Name = name };
        foreach (var (key, fieldPath, value) in reader.Fields(spec, path, SpecFields))
        {
            workflow = key switch
            {
                "inputs" => workflow with { Inputs = ReadInputs(value, fieldPath) },
                "concurrency" => workflow with { Concurrency = reader.Integer(value, fieldPath, $"a number of steps from 1 to {WorkflowSpecValidator.MaximumConcurrency}") ?? workflow.Concurrency },
                "timeout" => workflow with { Timeout = reader.Duration(value, fieldPath) },
                "steps" => workflow with { Steps = ReadSteps(value, fieldPath) },
                _ => workflow with { Schedules = ReadSchedules(value, fieldPath) },
            };
        }

        return workflow;
    }

    private Dictionary<string, WorkflowInputSpec> ReadInputs(YamlNode node, string path)
    {
        var inputs = new Dictionary<string, WorkflowInputSpec>(StringComparer.Ordinal);
        if (reader.Mapping(node, path, "{ text: { type: string, required: true } }") is not { } map)
        {
            return inputs;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                reader.Error(path, keyNode, "expected an input name here");
                continue;
            }

            var inputPath = $"{path}.{name}";
            reader.Locate(inputPath, keyNode);
            inputs[name] = ReadInput(value, inputPath);
        }

        return inputs;
    }

    private WorkflowInputSpec ReadInput(YamlNode node, string path)
    {
        var input = new WorkflowInputSpec();
        if (reader.Mapping(node, path, "{ type: string, required: true }") is not { } map)
        {
            return input;
        }

        foreach (var (key, fieldPath, value) in reader.Fields(map, path, InputFields))
        {
            input = key switch
            {
                "type" => input with { Type = ReadInputType(value, fieldPath) ?? input.Type },
                "required" => input with { Required = reader.Boolean(value, fieldPath) ?? false },
                "default" => input with { Default = YamlJson.Convert(value, reader, fieldPath) },
                _ => input with { Description = reader.Text(value, fieldPath) },
            };
        }

        return input;
    }

    private InputType? ReadInputType(YamlNode node, string path)
    {
        var text = reader.Text(node, path);
        InputType? type = text switch
        {
            null => null,
            "string" => InputType.Text,
            "number" => InputType.Number,
            "boolean" => InputType.Boolean,
            "list" => InputType.List,
            "object" => InputType.Map,
            _ => null,
        };
        if (type is null && text is not null)
        {
            var suggestion = FieldSuggester.Suggest(text, InputTypeNames);
            reader.Error(path, node, $"unknown type '{text}'; expected one of {string.Join(", ", InputTypeNames)}" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
        }

        return type;
    }

    private List<StepSpec> ReadSteps(YamlNode node, string path)
    {
        var steps = new List<StepSpec>();
        var items = reader.Sequence(node, path, "[{ id: build, container: { image: local/busybox:1 } }]");
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            reader.Locate(itemPath, items[i]);
            if (reader.Mapping(items[i], itemPath, "{ id: build, container: { image: local/busybox:1 } }") is { } map)
            {
                steps.Add(new StepDocumentReader(reader).Read(map, itemPath));
            }
            else if (NodeReader.IsNull(items[i]))
            {
                reader.Error(itemPath, items[i], "expected a step like { id: build, container: { image: local/busybox:1 } }, found nothing");
            }
        }

        return steps;
    }

    private List<ScheduleSpec> ReadSchedules(YamlNode node, string path)
    {
        var schedules = new List<ScheduleSpec>();
        var items = reader.Sequence(node, path, "[{ cron: \"0 0/5 * * * ?\" }]");
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            reader.Locate(itemPath, items[i]);
            if (reader.Mapping(items[i], itemPath, "{ cron: \"0 0/5 * * * ?\", inputs: { x: 1 } }") is not { } map)
            {
                continue;
            }

            string? cron = null;
            var inputs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (key, fieldPath, value) in reader.Fields(map, itemPath, ScheduleFields))
            {
                if (key == "cron")
                {
                    cron = reader.Text(value, fieldPath);
                }
                else
                {
                    inputs = ReadJsonMap(value, fieldPath);
                }
            }

            schedules.Add(new ScheduleSpec { Cron = cron ?? string.Empty, Inputs = inputs });
        }

        return schedules;
    }

    /// <summary>A mapping of names to JSON values (child workflow or schedule inputs).</summary>
    public Dictionary<string, JsonNode?> ReadJsonMap(YamlNode node, string path)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (reader.Mapping(node, path, "{ text: hello }") is { } map && YamlJson.Convert(map, reader, path) is JsonObject json)
        {
            foreach (var (key, value) in json)
            {
                reader.Locate($"{path}.{key}", map);
                values[key] = value?.DeepClone();
            }
        }

        return values;
    }
}
