using Berth.Core.Specs;

namespace Berth.Core.Workflows.Expressions;

/// <summary>The fields of a step that may hold <c>${{ … }}</c> expressions, with their paths relative to the step.</summary>
public static class StepTemplates
{
    /// <summary>
    /// Each template field of <paramref name="step"/> and its path (<c>when</c>, <c>forEach</c>, <c>container.files['/in/a']</c>,
    /// <c>agent.body.words</c>, <c>workflow.inputs.text</c>). Names, ids and output paths are never templates.
    /// </summary>
    public static IEnumerable<(string Path, string Text)> Of(StepSpec step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.When is not null)
        {
            yield return ("when", step.When);
        }

        if (step.ForEach is not null)
        {
            yield return ("forEach", step.ForEach);
        }

        var fields = step.Kind switch
        {
            StepKind.Container when step.Container is { } container => Container(container),
            StepKind.Agent when step.Agent is { } agent => Agent(agent),
            StepKind.Plugin when step.Plugin is { } plugin => JsonTemplates.Strings(plugin.Inputs, "plugin.inputs"),
            StepKind.Workflow when step.Workflow is { } workflow => Workflow(workflow),
            _ => [],
        };
        foreach (var field in fields)
        {
            yield return field;
        }
    }

    private static IEnumerable<(string Path, string Text)> Container(ContainerStepSpec container)
    {
        yield return ("container.image", container.Image);
        foreach (var (path, text) in Items("container.command", container.Command).Concat(Items("container.args", container.Args)))
        {
            yield return (path, text);
        }

        foreach (var (name, value) in container.Env ?? new Dictionary<string, string>())
        {
            yield return ($"container.env.{name}", value);
        }

        if (container.Workdir is not null)
        {
            yield return ("container.workdir", container.Workdir);
        }

        foreach (var (path, content) in container.Files ?? new Dictionary<string, string>())
        {
            yield return (SpecPaths.File("container.files", path), content);
        }
    }

    private static IEnumerable<(string Path, string Text)> Agent(AgentStepSpec agent)
    {
        yield return ("agent.method", agent.Method);
        yield return ("agent.path", agent.Path);
        foreach (var entry in JsonTemplates.Strings(agent.Body, "agent.body"))
        {
            yield return entry;
        }

        foreach (var (name, value) in agent.Headers ?? new Dictionary<string, string>())
        {
            yield return ($"agent.headers.{name}", value);
        }
    }

    private static IEnumerable<(string Path, string Text)> Workflow(ChildWorkflowStepSpec workflow)
    {
        foreach (var (name, value) in workflow.Inputs ?? new Dictionary<string, System.Text.Json.Nodes.JsonNode?>())
        {
            foreach (var entry in JsonTemplates.Strings(value, $"workflow.inputs.{name}"))
            {
                yield return entry;
            }
        }
    }

    private static IEnumerable<(string Path, string Text)> Items(string path, IReadOnlyList<string>? items) =>
        (items ?? []).Select((text, i) => ($"{path}[{i}]", text));
}
