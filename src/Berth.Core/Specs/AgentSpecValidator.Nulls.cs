namespace Berth.Core.Specs;

public static partial class AgentSpecValidator
{
    /// <summary>
    /// Nulls where the spec has none (a JSON body can carry <c>"args": [null]</c> or <c>"env": {"A": null}</c>).
    /// Checked first: the other rules may assume every list item and value is present.
    /// </summary>
    private static List<SpecError> NullMembers(AgentSpec spec, Paths at)
    {
        var errors = new List<SpecError>();
        void Required(object? value, string field)
        {
            if (value is null)
            {
                errors.Add(new SpecError(at[field], "must not be null; leave the field out to get its default"));
            }
        }

        void Items<T>(IEnumerable<T?>? items, string field)
        {
            var index = 0;
            foreach (var item in items ?? [])
            {
                if (item is null)
                {
                    errors.Add(new SpecError($"{at[field]}[{index}]", "must not be null"));
                }

                index++;
            }
        }

        Required(spec.Command, "command");
        Required(spec.Args, "args");
        Required(spec.Env, "env");
        Required(spec.Files, "files");
        Required(spec.Volumes, "volumes");
        Required(spec.Health, "health");
        Required(spec.Restart, "restart");
        Required(spec.Persistence, "persistence");
        Required(spec.Capabilities, "capabilities");
        Required(spec.DependsOn, "dependsOn");
        Items(spec.Command, "command");
        Items(spec.Args, "args");
        Items(spec.Volumes, "volumes");
        Items(spec.Capabilities, "capabilities");
        Items(spec.DependsOn, "dependsOn");
        foreach (var (name, value) in spec.Env ?? new Dictionary<string, string>())
        {
            if (value is null)
            {
                errors.Add(new SpecError($"{at["env"]}.{name}", "must not be null; use \"\" for an empty value"));
            }
        }

        foreach (var (path, content) in spec.Files ?? new Dictionary<string, string>())
        {
            if (content is null)
            {
                errors.Add(new SpecError(SpecPaths.File(at["files"], path), "must not be null; use \"\" for an empty file"));
            }
        }

        if (spec.Process is { } process)
        {
            Required(process.Args, "process.args");
            Items(process.Args, "process.args");
        }

        if (spec.Access is { } access)
        {
            Required(access.Agents, "access.agents");
            Items(access.Agents, "access.agents");
        }

        if (spec.Security?.Capabilities is { } capabilities)
        {
            Required(capabilities.Add, "security.capabilities.add");
            Items(capabilities.Add, "security.capabilities.add");
        }

        return errors;
    }
}
