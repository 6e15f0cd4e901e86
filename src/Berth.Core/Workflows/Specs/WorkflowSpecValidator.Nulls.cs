using Berth.Core.Specs;

namespace Berth.Core.Workflows.Specs;

public static partial class WorkflowSpecValidator
{
    /// <summary>
    /// Nulls where the spec has none (a JSON body can carry <c>"steps": [null]</c> or <c>"env": {"A": null}</c>).
    /// Checked first: the other rules may assume every list item and value is present.
    /// </summary>
    private static bool NoNulls(WorkflowSpec spec, Paths at, List<SpecError> errors)
    {
        var before = errors.Count;
        void Null(string path) => errors.Add(new SpecError(path, "must not be null; leave the field out to get its default"));
        void Items<T>(IEnumerable<T?>? items, string path)
        {
            var i = 0;
            foreach (var item in items ?? [])
            {
                if (item is null)
                {
                    errors.Add(new SpecError($"{path}[{i}]", "must not be null"));
                }

                i++;
            }
        }

        void Values<T>(IReadOnlyDictionary<string, T>? map, string path)
        {
            foreach (var (key, value) in map ?? new Dictionary<string, T>())
            {
                if (value is null)
                {
                    errors.Add(new SpecError($"{path}.{key}", "must not be null"));
                }
            }
        }

        if (spec.Inputs is null)
        {
            Null(at["inputs"]);
        }

        if (spec.Steps is null)
        {
            Null(at["steps"]);
        }

        if (spec.Schedules is null)
        {
            Null(at["schedule"]);
        }

        Values(spec.Inputs, at["inputs"]);
        Items(spec.Steps, at["steps"]);
        Items(spec.Schedules, at["schedule"]);
        var schedules = spec.Schedules ?? [];
        for (var i = 0; i < schedules.Count; i++)
        {
            if (schedules[i] is { Inputs: null })
            {
                Null($"{at["schedule"]}[{i}].inputs");
            }
        }

        var steps = spec.Steps ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not { } step)
            {
                continue;
            }

            var path = $"{at["steps"]}[{i}]";
            if (step.Id is null)
            {
                errors.Add(new SpecError($"{path}.id", $"required; expected {SpecNames.DnsLabelHint}"));
            }

            if (step.DependsOn is null)
            {
                Null($"{path}.dependsOn");
            }

            Items(step.DependsOn, $"{path}.dependsOn");
            if (step.Retry is { On: null })
            {
                Null($"{path}.retry.on");
            }

            if (step.Container is { } container)
            {
                var c = $"{path}.container";
                if (container.Image is null)
                {
                    errors.Add(new SpecError($"{c}.image", "required; expected an image like local/busybox:1"));
                }

                if (container.Command is null || container.Args is null || container.Env is null || container.Files is null || container.Outputs is null)
                {
                    errors.Add(new SpecError(c, "command, args, env, files and outputs must not be null; leave a field out to get its default"));
                }

                Items(container.Command, $"{c}.command");
                Items(container.Args, $"{c}.args");
                Items(container.Outputs, $"{c}.outputs");
                Values(container.Env, $"{c}.env");
                Values(container.Files, $"{c}.files");
            }

            if (step.Agent is { } agent)
            {
                if (agent.Name is null || agent.Method is null || agent.Path is null || agent.Headers is null)
                {
                    errors.Add(new SpecError($"{path}.agent", "name is required; method, path and headers must not be null"));
                }

                Values(agent.Headers, $"{path}.agent.headers");
            }

            if (step.Workflow is { Name: null } or { Inputs: null })
            {
                errors.Add(new SpecError($"{path}.workflow", "name is required and inputs must not be null"));
            }
        }

        return errors.Count == before;
    }
}
