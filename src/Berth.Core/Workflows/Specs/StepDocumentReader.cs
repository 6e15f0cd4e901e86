using Berth.Core.Specs;
using Berth.Core.Specs.Yaml;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Workflows.Specs;

/// <summary>Reads one entry of a workflow's <c>steps</c> into a <see cref="StepSpec"/>.</summary>
internal sealed class StepDocumentReader(NodeReader reader)
{
    public static readonly string[] StepFields =
        ["id", "container", "agent", "workflow", "dependsOn", "when", "forEach", "retry", "timeout", "cache", "continueOnError"];

    private static readonly string[] ContainerFields = ["image", "command", "args", "env", "workdir", "files", "outputs", "resources"];
    private static readonly string[] AgentFields = ["name", "method", "path", "body", "headers"];
    private static readonly string[] WorkflowFields = ["name", "inputs"];
    private static readonly string[] RetryFields = ["maxAttempts", "backoff", "initialDelay", "maxDelay", "jitter", "on"];
    private static readonly string[] CacheFields = ["enabled", "ttl"];

    public StepSpec Read(YamlMappingNode map, string path)
    {
        var step = new StepSpec { Id = string.Empty, Kind = StepKind.Container };
        var hasKind = map.Children.Keys.Any(k => k is YamlScalarNode { Value: { } key } && WorkflowDocumentReader.StepKinds.Contains(key));
        var kinds = 0;
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                reader.Error(path, keyNode, "expected a field name here");
                continue;
            }

            var fieldPath = $"{path}.{key}";
            if (!StepFields.Contains(key))
            {
                Unknown(key, keyNode, fieldPath, hasKind);
                continue;
            }

            reader.Locate(fieldPath, value);
            step = key switch
            {
                "id" => step with { Id = reader.Text(value, fieldPath) ?? string.Empty },
                "container" => Kind(step with { Container = ReadContainer(value, fieldPath) }, StepKind.Container, ref kinds),
                "agent" => Kind(step with { Agent = ReadAgent(value, fieldPath) }, StepKind.Agent, ref kinds),
                "workflow" => Kind(step with { Workflow = ReadWorkflow(value, fieldPath) }, StepKind.Workflow, ref kinds),
                "dependsOn" => step with { DependsOn = reader.TextList(value, fieldPath) ?? [] },
                "when" => step with { When = reader.Text(value, fieldPath) },
                "forEach" => step with { ForEach = reader.Text(value, fieldPath) },
                "retry" => step with { Retry = ReadRetry(value, fieldPath) },
                "timeout" => step with { Timeout = reader.Duration(value, fieldPath) },
                "cache" => step with { Cache = ReadCache(value, fieldPath) },
                _ => step with { ContinueOnError = reader.Boolean(value, fieldPath) ?? false },
            };
        }

        if (!hasKind)
        {
            reader.Error(path, map, $"one of {string.Join(", ", WorkflowDocumentReader.StepKinds)} is required: what the step runs");
        }

        return step;
    }

    private static StepSpec Kind(StepSpec step, StepKind kind, ref int kinds) => kinds++ == 0 ? step with { Kind = kind } : step;

    private void Unknown(string key, YamlNode keyNode, string fieldPath, bool hasKind)
    {
        var suggestion = FieldSuggester.Suggest(key, StepFields);
        reader.Error(fieldPath, keyNode, suggestion is not null
            ? $"unknown field; did you mean '{suggestion}'?"
            : hasKind
                ? $"unknown field; expected one of {string.Join(", ", StepFields)}"
                : $"unknown step kind '{key}'; expected one of {string.Join(", ", WorkflowDocumentReader.StepKinds)}");
    }

    private ContainerStepSpec? ReadContainer(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ image: local/busybox:1, command: [sh, -c, \"echo hi\"] }") is not { } map)
        {
            return null;
        }

        var container = new ContainerStepSpec { Image = string.Empty };
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, ContainerFields))
        {
            container = key switch
            {
                "image" => container with { Image = reader.Text(value, fieldPath) ?? string.Empty },
                "command" => container with { Command = reader.TextList(value, fieldPath) ?? [] },
                "args" => container with { Args = reader.TextList(value, fieldPath) ?? [] },
                "env" => container with { Env = ReadTextMap(value, fieldPath, "{ KEY: value }", key => $"{fieldPath}.{key}") },
                "workdir" => container with { Workdir = reader.Text(value, fieldPath) },
                "files" => container with { Files = ReadTextMap(value, fieldPath, "{ /in/text.txt: \"${{ inputs.text }}\" }", key => SpecPaths.File(fieldPath, key)) },
                "outputs" => container with { Outputs = reader.TextList(value, fieldPath) ?? [] },
                _ => container with { Resources = new ResourcesBlockReader(reader).Read(value, fieldPath) },
            };
        }

        return container;
    }

    private AgentStepSpec? ReadAgent(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ name: summarizer, method: POST, path: /summarize }") is not { } map)
        {
            return null;
        }

        var agent = new AgentStepSpec { Name = string.Empty };
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, AgentFields))
        {
            agent = key switch
            {
                "name" => agent with { Name = reader.Text(value, fieldPath) ?? string.Empty },
                "method" => agent with { Method = reader.Text(value, fieldPath) ?? agent.Method },
                "path" => agent with { Path = reader.Text(value, fieldPath) ?? agent.Path },
                "body" => agent with { Body = YamlJson.Convert(value, reader, fieldPath) },
                _ => agent with { Headers = ReadTextMap(value, fieldPath, "{ X-Trace: \"${{ inputs.trace }}\" }", key => $"{fieldPath}.{key}") },
            };
        }

        return agent;
    }

    private ChildWorkflowStepSpec? ReadWorkflow(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ name: word-stats, inputs: { text: hello } }") is not { } map)
        {
            return null;
        }

        var workflow = new ChildWorkflowStepSpec { Name = string.Empty };
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, WorkflowFields))
        {
            workflow = key == "name"
                ? workflow with { Name = reader.Text(value, fieldPath) ?? string.Empty }
                : workflow with { Inputs = new WorkflowDocumentReader(reader).ReadJsonMap(value, fieldPath) };
        }

        return workflow;
    }

    private StepRetrySpec? ReadRetry(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ maxAttempts: 3, backoff: exponential, initialDelay: 1s, on: [transient, timeout] }") is not { } map)
        {
            return null;
        }

        var retry = new StepRetrySpec();
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, RetryFields))
        {
            retry = key switch
            {
                "maxAttempts" => retry with { MaxAttempts = reader.Integer(value, fieldPath, $"a number of attempts from 1 to {WorkflowSpecValidator.MaximumAttempts}") ?? retry.MaxAttempts },
                "backoff" => retry with { Backoff = ReadBackoff(value, fieldPath) ?? retry.Backoff },
                "initialDelay" => retry with { InitialDelay = reader.Duration(value, fieldPath) ?? retry.InitialDelay },
                "maxDelay" => reader.Duration(value, fieldPath) is { } maxDelay ? retry with { MaxDelay = maxDelay } : retry,
                "jitter" => retry with { Jitter = reader.Boolean(value, fieldPath) ?? retry.Jitter },
                _ => retry with { On = ReadErrorClasses(value, fieldPath) },
            };
        }

        return retry;
    }

    private BackoffKind? ReadBackoff(YamlNode node, string path)
    {
        switch (reader.Text(node, path))
        {
            case null:
                return null;
            case "constant":
                return BackoffKind.Constant;
            case "linear":
                return BackoffKind.Linear;
            case "exponential":
                return BackoffKind.Exponential;
            case var other:
                reader.Error(path, node, $"expected constant, linear or exponential, found '{other}'");
                return null;
        }
    }

    private List<ErrorClass> ReadErrorClasses(YamlNode node, string path)
    {
        var classes = new List<ErrorClass>();
        var names = reader.TextList(node, path) ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (ErrorClassNames.TryParse(names[i], out var value))
            {
                classes.Add(value);
                continue;
            }

            var suggestion = FieldSuggester.Suggest(names[i], ErrorClassNames.Names);
            var itemNode = node is YamlSequenceNode list && i < list.Children.Count ? list.Children[i] : node;
            reader.Error($"{path}[{i}]", itemNode, $"unknown error class '{names[i]}'; expected one of {ErrorClassNames.All}" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
        }

        return classes;
    }

    private StepCacheSpec? ReadCache(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ enabled: true, ttl: 1h }") is not { } map)
        {
            return null;
        }

        var cache = new StepCacheSpec();
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, CacheFields))
        {
            cache = key == "enabled"
                ? cache with { Enabled = reader.Boolean(value, fieldPath) }
                : cache with { Ttl = reader.Duration(value, fieldPath) };
        }

        return cache;
    }

    private Dictionary<string, string> ReadTextMap(YamlNode node, string path, string example, Func<string, string> pathOf)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Mapping(node, path, example) is not { } map)
        {
            return entries;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                reader.Error(path, keyNode, "expected a text key here");
                continue;
            }

            var fieldPath = pathOf(key);
            reader.Locate(fieldPath, keyNode);
            entries[key] = reader.Text(value, fieldPath) ?? string.Empty;
        }

        return entries;
    }
}
