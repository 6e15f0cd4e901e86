using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Specs.Yaml;
using Berth.Core.Workflows.Inputs;

namespace Berth.Core.Workflows.Specs;

/// <summary>Writes the <c>spec</c> of a workflow document, omitting defaults, so that the reader gives back an equal spec.</summary>
internal sealed class WorkflowYamlWriter(YamlTextWriter yaml)
{
    private static readonly StepRetrySpec DefaultRetry = new();

    public void Write(WorkflowSpec spec)
    {
        if (spec.Inputs.Count > 0)
        {
            yaml.BeginMap("inputs");
            foreach (var (name, input) in spec.Inputs)
            {
                yaml.BeginMap(name, flow: true);
                yaml.Field("type", InputTypes.Name(input.Type));
                if (input.Required)
                {
                    yaml.PlainField("required", "true");
                }

                Json("default", input.Default);
                if (input.Description is not null)
                {
                    yaml.Field("description", input.Description);
                }

                yaml.EndMap();
            }

            yaml.EndMap();
        }

        if (spec.Concurrency != new WorkflowSpec { Name = spec.Name }.Concurrency)
        {
            yaml.PlainField("concurrency", spec.Concurrency.ToString(CultureInfo.InvariantCulture));
        }

        if (spec.Timeout is { } timeout)
        {
            yaml.Field("timeout", Duration.Format(timeout));
        }

        yaml.BeginList("steps");
        foreach (var step in spec.Steps)
        {
            WriteStep(step);
        }

        yaml.EndList();
        if (spec.Schedules.Count > 0)
        {
            yaml.BeginList("schedule");
            foreach (var schedule in spec.Schedules)
            {
                yaml.BeginMap();
                yaml.Field("cron", schedule.Cron);
                JsonMap("inputs", schedule.Inputs);
                yaml.EndMap();
            }

            yaml.EndList();
        }
    }

    private void WriteStep(StepSpec step)
    {
        yaml.BeginMap();
        yaml.Field("id", step.Id);
        if (step.Container is { } container)
        {
            WriteContainer(container);
        }

        if (step.Agent is { } agent)
        {
            yaml.BeginMap("agent");
            yaml.Field("name", agent.Name);
            yaml.Field("method", agent.Method);
            yaml.Field("path", agent.Path);
            Json("body", agent.Body);
            TextMap("headers", agent.Headers);
            yaml.EndMap();
        }

        if (step.Workflow is { } workflow)
        {
            yaml.BeginMap("workflow");
            yaml.Field("name", workflow.Name);
            JsonMap("inputs", workflow.Inputs);
            yaml.EndMap();
        }

        if (step.DependsOn.Count > 0)
        {
            yaml.List("dependsOn", step.DependsOn);
        }

        Optional("when", step.When);
        Optional("forEach", step.ForEach);
        WriteRetry(step.Retry);
        if (step.Timeout is { } timeout)
        {
            yaml.Field("timeout", Duration.Format(timeout));
        }

        if (step.Cache is { } cache)
        {
            yaml.BeginMap("cache", flow: true);
            if (cache.Enabled is { } enabled)
            {
                yaml.PlainField("enabled", enabled ? "true" : "false");
            }

            if (cache.Ttl is { } ttl)
            {
                yaml.Field("ttl", Duration.Format(ttl));
            }

            yaml.EndMap();
        }

        if (step.ContinueOnError)
        {
            yaml.PlainField("continueOnError", "true");
        }

        yaml.EndMap();
    }

    private void WriteContainer(ContainerStepSpec container)
    {
        yaml.BeginMap("container");
        yaml.Field("image", container.Image);
        if (container.Command.Count > 0)
        {
            yaml.List("command", container.Command);
        }

        if (container.Args.Count > 0)
        {
            yaml.List("args", container.Args);
        }

        TextMap("env", container.Env);
        Optional("workdir", container.Workdir);
        TextMap("files", container.Files);
        if (container.Outputs.Count > 0)
        {
            yaml.List("outputs", container.Outputs);
        }

        if (container.Resources is { } resources)
        {
            ResourcesBlockWriter.Write(yaml, resources);
        }

        yaml.EndMap();
    }

    private void WriteRetry(StepRetrySpec? retry)
    {
        if (retry is null)
        {
            return;
        }

        yaml.BeginMap("retry", flow: true);
        yaml.PlainField("maxAttempts", retry.MaxAttempts.ToString(CultureInfo.InvariantCulture));
        if (retry.Backoff != DefaultRetry.Backoff)
        {
            yaml.Field("backoff", retry.Backoff.ToString().ToLowerInvariant());
        }

        if (retry.InitialDelay != DefaultRetry.InitialDelay)
        {
            yaml.Field("initialDelay", Duration.Format(retry.InitialDelay));
        }

        if (retry.MaxDelay != new StepRetrySpec { InitialDelay = retry.InitialDelay }.MaxDelay)
        {
            yaml.Field("maxDelay", Duration.Format(retry.MaxDelay));
        }

        if (!retry.Jitter)
        {
            yaml.PlainField("jitter", "false");
        }

        if (!retry.On.SequenceEqual(DefaultRetry.On))
        {
            yaml.List("on", retry.On.Select(ErrorClassNames.Format));
        }

        yaml.EndMap();
    }

    private void Optional(string key, string? value)
    {
        if (value is not null)
        {
            yaml.Field(key, value);
        }
    }

    private void TextMap(string key, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        yaml.BeginMap(key);
        foreach (var (name, value) in values)
        {
            yaml.Field(name, value);
        }

        yaml.EndMap();
    }

    private void JsonMap(string key, IReadOnlyDictionary<string, JsonNode?> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        yaml.BeginMap(key);
        foreach (var (name, value) in values)
        {
            yaml.Key(name);
            Value(value);
        }

        yaml.EndMap();
    }

    private void Json(string key, JsonNode? value)
    {
        if (value is not null)
        {
            yaml.Key(key);
            Value(value);
        }
    }

    private void Value(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject map:
                yaml.BeginMap(flow: true);
                foreach (var (name, item) in map)
                {
                    yaml.Key(name);
                    Value(item);
                }

                yaml.EndMap();
                break;
            case JsonArray list:
                yaml.BeginList(flow: true);
                foreach (var item in list)
                {
                    Value(item);
                }

                yaml.EndList();
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                yaml.Text(scalar.GetValue<string>());
                break;
            case null:
                yaml.Plain("null");
                break;
            default:
                yaml.Plain(value.ToJsonString());
                break;
        }
    }
}
