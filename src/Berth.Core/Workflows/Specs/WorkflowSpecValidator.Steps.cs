using Berth.Core.Plugins;
using Berth.Core.Specs;

namespace Berth.Core.Workflows.Specs;

public static partial class WorkflowSpecValidator
{
    private const string Kinds = "container, agent, plugin or workflow";

    private static void ValidateSteps(WorkflowSpec spec, Paths at, List<SpecError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Steps.Count; i++)
        {
            var step = spec.Steps[i];
            var path = $"{at["steps"]}[{i}]";
            if (!SpecNames.IsDnsLabel(step.Id))
            {
                errors.Add(new SpecError($"{path}.id", step.Id.Length == 0 ? $"required; expected {SpecNames.DnsLabelHint}" : $"'{step.Id}' is not valid; expected {SpecNames.DnsLabelHint}"));
            }
            else if (!seen.TryAdd(step.Id, i))
            {
                errors.Add(new SpecError($"{path}.id", $"duplicate step id '{step.Id}'; {at["steps"]}[{seen[step.Id]}] already has it; expected unique ids"));
            }

            ValidateKind(step, path, errors);
            if (step.Kind == StepKind.Container && step.Container is { } container)
            {
                ValidateContainer(container, $"{path}.container", errors);
            }
            else if (step.Kind == StepKind.Agent && step.Agent is { } agent)
            {
                ValidateAgent(agent, $"{path}.agent", errors);
            }
            else if (step.Kind == StepKind.Plugin && step.Plugin is { } plugin)
            {
                ValidatePlugin(plugin, $"{path}.plugin", errors);
            }
            else if (step.Kind == StepKind.Workflow && step.Workflow is { } workflow)
            {
                ValidateName(workflow.Name, $"{path}.workflow.name", "an applied workflow's name", errors);
                if (workflow.Name == spec.Name)
                {
                    errors.Add(new SpecError($"{path}.workflow.name", $"workflow '{spec.Name}' cannot run itself as a child"));
                }
            }

            ValidateRetry(step.Retry, $"{path}.retry", errors);
            Positive(step.Timeout, $"{path}.timeout", errors);
            Positive(step.Cache?.Ttl, $"{path}.cache.ttl", errors);
        }

        ValidateReferences(spec, at, errors);
    }

    private static void ValidateKind(StepSpec step, string path, List<SpecError> errors)
    {
        var set = new List<string>();
        if (step.Container is not null)
        {
            set.Add("container");
        }

        if (step.Agent is not null)
        {
            set.Add("agent");
        }

        if (step.Plugin is not null)
        {
            set.Add("plugin");
        }

        if (step.Workflow is not null)
        {
            set.Add("workflow");
        }

        if (set.Count > 1)
        {
            errors.Add(new SpecError(path, $"exactly one of {Kinds} may be set, found {string.Join(" and ", set)}"));
        }
        else if (set.Count == 0)
        {
            errors.Add(new SpecError(path, $"one of {Kinds} is required"));
        }
    }

    private static void ValidateContainer(ContainerStepSpec container, string path, List<SpecError> errors)
    {
        if (string.IsNullOrWhiteSpace(container.Image))
        {
            errors.Add(new SpecError($"{path}.image", "required; expected an image like local/busybox:1"));
        }

        foreach (var name in container.Env.Keys.Where(name => !SpecNames.IsEnvName(name)))
        {
            errors.Add(new SpecError(SpecPaths.Member($"{path}.env", name), "not a valid variable name; expected letters, digits and '_', not starting with a digit"));
        }

        if (container.Workdir is { } workdir && !workdir.Contains("${{", StringComparison.Ordinal) && !workdir.StartsWith('/'))
        {
            errors.Add(new SpecError($"{path}.workdir", $"expected an absolute path like /work, found '{workdir}'"));
        }

        foreach (var file in container.Files.Keys.Where(file => !IsAbsolute(file)))
        {
            errors.Add(new SpecError(SpecPaths.File($"{path}.files", file), "expected an absolute path inside the container like /in/data.txt"));
        }

        for (var i = 0; i < container.Outputs.Count; i++)
        {
            if (!IsAbsolute(container.Outputs[i]))
            {
                errors.Add(new SpecError($"{path}.outputs[{i}]", $"expected an absolute path inside the container like /out, found '{container.Outputs[i]}'"));
            }
        }

        ResourceRules.Validate(container.Resources, $"{path}.resources", errors);
    }

    private static void ValidateAgent(AgentStepSpec agent, string path, List<SpecError> errors)
    {
        if (agent.Capability is { } capability)
        {
            if (agent.Name.Length > 0)
            {
                errors.Add(new SpecError(path, "expected exactly one of name and capability, found both"));
            }
            else if (!CapabilityRules.IsName(capability))
            {
                errors.Add(new SpecError($"{path}.capability", $"'{capability}' is not valid; expected a capability name like summarize"));
            }
        }
        else
        {
            ValidateName(agent.Name, $"{path}.name", "a deployed agent's name (or set capability instead)", errors);
        }

        if (!agent.Method.Contains("${{", StringComparison.Ordinal) && (agent.Method.Length == 0 || !agent.Method.All(char.IsAsciiLetterUpper)))
        {
            errors.Add(new SpecError($"{path}.method", $"expected an HTTP method like GET or POST, found '{agent.Method}'"));
        }

        if (!agent.Path.StartsWith('/') && !agent.Path.StartsWith("${{", StringComparison.Ordinal))
        {
            errors.Add(new SpecError($"{path}.path", $"expected a path on the agent starting with '/', like /summarize, found '{agent.Path}'"));
        }
    }

    private static void ValidatePlugin(PluginStepSpec plugin, string path, List<SpecError> errors)
    {
        if ((plugin.Id is null) == (plugin.Capability is null))
        {
            errors.Add(new SpecError(path, "expected exactly one of id (text-analysis@^1) and capability (summarize)"));
        }
        else if (plugin.Id is { } id && !PluginReference.TryParse(id, out _, out var problem))
        {
            errors.Add(new SpecError($"{path}.id", problem!));
        }
        else if (plugin.Capability is { } capability && !CapabilityRules.IsName(capability))
        {
            errors.Add(new SpecError($"{path}.capability", $"'{capability}' is not valid; expected a capability name like summarize"));
        }
    }

    private static void ValidateRetry(StepRetrySpec? retry, string path, List<SpecError> errors)
    {
        if (retry is null)
        {
            return;
        }

        if (retry.MaxAttempts is < 1 or > MaximumAttempts)
        {
            errors.Add(new SpecError($"{path}.maxAttempts", $"expected a number of attempts from 1 to {MaximumAttempts}, found {retry.MaxAttempts}"));
        }

        if (!Enum.IsDefined(retry.Backoff))
        {
            errors.Add(new SpecError($"{path}.backoff", "expected constant, linear or exponential"));
        }

        if (retry.InitialDelay < TimeSpan.Zero)
        {
            errors.Add(new SpecError($"{path}.initialDelay", "expected a duration of at least 0s, like 1s"));
        }

        if (retry.MaxDelay < retry.InitialDelay)
        {
            errors.Add(new SpecError($"{path}.maxDelay", $"expected at least initialDelay ({Duration.Format(retry.InitialDelay)}), found {Duration.Format(retry.MaxDelay)}"));
        }

        for (var i = 0; i < retry.On.Count; i++)
        {
            if (!Enum.IsDefined(retry.On[i]))
            {
                errors.Add(new SpecError($"{path}.on[{i}]", $"unknown error class; expected one of {ErrorClassNames.All}"));
            }
        }
    }

    private static void ValidateName(string name, string path, string what, List<SpecError> errors)
    {
        if (!SpecNames.IsDnsLabel(name))
        {
            errors.Add(new SpecError(path, name.Length == 0 ? $"required; expected {what}" : $"'{name}' is not valid; expected {what}: {SpecNames.DnsLabelHint}"));
        }
    }

    private static bool IsAbsolute(string path) => path.StartsWith('/') && !path.Contains('\0', StringComparison.Ordinal);
}
