using System.Text.Json.Nodes;
using Semver;

namespace Berth.Core.Specs;

/// <summary>
/// Semantic rules of a <see cref="PluginSpec"/>. The JSON schemas are checked here for shape only (an object whose
/// <c>type</c>, when given, is a JSON Schema type); the server compiles them when a plugin is installed.
/// </summary>
public static class PluginSpecValidator
{
    /// <summary>Most examples a manifest may carry: each is a call at install.</summary>
    public const int MaximumExamples = 20;

    /// <summary>Most tags, and most capabilities, a manifest may carry.</summary>
    public const int MaximumListItems = 50;

    /// <summary>Longest call timeout accepted: 1h.</summary>
    public static readonly TimeSpan MaximumTimeout = TimeSpan.FromHours(1);

    private static readonly string[] SchemaTypes = ["object", "array", "string", "number", "integer", "boolean", "null"];

    /// <summary>Checks every rule and returns every problem found (empty when the spec is valid).</summary>
    public static IReadOnlyList<SpecError> Validate(PluginSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<SpecError>();
        if (!SpecNames.IsDnsLabel(spec.Name))
        {
            errors.Add(new SpecError("metadata.name", spec.Name.Length == 0 ? $"required; expected the plugin's id, {SpecNames.DnsLabelHint}" : $"'{spec.Name}' is not valid; expected {SpecNames.DnsLabelHint}"));
        }

        if (!SemVersion.TryParse(spec.Version, SemVersionStyles.Strict, out _))
        {
            errors.Add(new SpecError("spec.version", spec.Version.Length == 0 ? "required; expected a semantic version like 1.2.0" : $"'{CallerSafe(spec.Version)}' is not a semantic version; expected one like 1.2.0"));
        }

        Text(spec.Verb, "spec.verb", 100, errors);
        Text(spec.Description, "spec.description", 2_000, errors);
        Schema(spec.Inputs, "spec.inputs", errors);
        Schema(spec.Outputs, "spec.outputs", errors);
        ValidateRuntime(spec, errors);
        ValidateApi(spec.Api, errors);
        CapabilityRules.Validate(spec.Capabilities, "spec.capabilities", errors);
        if (spec.Capabilities.Count > MaximumListItems)
        {
            errors.Add(new SpecError("spec.capabilities", $"{spec.Capabilities.Count} capabilities; expected at most {MaximumListItems}"));
        }

        ValidateTags(spec.Tags, errors);
        ValidateExamples(spec.Examples, errors);
        ValidatePool(spec.Pool, errors);
        return errors;
    }

    private static void ValidateRuntime(PluginSpec spec, List<SpecError> errors)
    {
        if (spec.Runtime == PluginRuntime.Container)
        {
            if (spec.Process is not null)
            {
                errors.Add(new SpecError("spec.process", "set, but runtime is container; remove it or set runtime: process"));
            }

            if (spec.Container is not { } container)
            {
                errors.Add(new SpecError("spec.container", "required for runtime: container; expected { image } or { build: { context } }"));
                return;
            }

            if ((container.Image is null) == (container.Build is null))
            {
                errors.Add(new SpecError("spec.container", "expected exactly one of image and build"));
            }

            if (container.Image is { } image && !ImageReference.IsPlausible(image))
            {
                errors.Add(new SpecError("spec.container.image", $"'{CallerSafe(image)}' is not a valid image reference; expected one like local/text-analysis:1"));
            }

            if (container.Port is < 1 or > 65535)
            {
                errors.Add(new SpecError("spec.container.port", $"{container.Port} is out of range; expected a port from 1 to 65535"));
            }

            Env(container.Env, "spec.container.env", errors);
            ResourceRules.Validate(container.Resources, "spec.container.resources", errors);
            AgentSpecValidator.ValidateHealth(container.Health, new AgentSpecValidator.Paths("spec.container"), errors);
            return;
        }

        if (spec.Container is not null)
        {
            errors.Add(new SpecError("spec.container", "set, but runtime is process; remove it or set runtime: container"));
        }

        if (spec.Process is not { } process)
        {
            errors.Add(new SpecError("spec.process", "required for runtime: process; expected { command, args }"));
            return;
        }

        if (string.IsNullOrWhiteSpace(process.Command) || process.Command.Any(char.IsControl))
        {
            errors.Add(new SpecError("spec.process.command", "required; expected a program like /usr/bin/python3, or a path inside the plugin's folder"));
        }

        AgentSpecValidator.CheckNoSecrets(process.Args, "spec.process.args", errors);
        Env(process.Env, "spec.process.env", errors);
        AgentSpecValidator.ValidateHealth(process.Health, new AgentSpecValidator.Paths("spec.process"), errors);
    }

    private static void ValidateApi(PluginApiSpec api, List<SpecError> errors)
    {
        if (!api.Endpoint.StartsWith('/') || api.Endpoint.StartsWith("//", StringComparison.Ordinal) || api.Endpoint.Length > 200
            || api.Endpoint.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '\\' or '?' or '#'))
        {
            errors.Add(new SpecError("spec.api.endpoint", $"'{CallerSafe(api.Endpoint)}' is not valid; expected a path on the plugin starting with a single '/', like /execute"));
        }

        if (api.Method is not ("POST" or "PUT"))
        {
            errors.Add(new SpecError("spec.api.method", $"'{CallerSafe(api.Method)}' is not supported; expected POST (or PUT): the inputs travel in the body"));
        }

        if (api.Timeout <= TimeSpan.Zero || api.Timeout > MaximumTimeout)
        {
            errors.Add(new SpecError("spec.api.timeout", $"expected a duration from 1ms to {Duration.Format(MaximumTimeout)}, like 30s"));
        }
    }

    private static void ValidateTags(IReadOnlyList<string> tags, List<SpecError> errors)
    {
        if (tags.Count > MaximumListItems)
        {
            errors.Add(new SpecError("spec.tags", $"{tags.Count} tags; expected at most {MaximumListItems}"));
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (!CapabilityRules.IsName(tags[i]))
            {
                errors.Add(new SpecError($"spec.tags[{i}]", $"'{CallerSafe(tags[i])}' is not valid; expected a word of letters, digits, '-', '_' or '.'"));
            }
        }
    }

    private static void ValidateExamples(IReadOnlyList<PluginExample> examples, List<SpecError> errors)
    {
        if (examples.Count > MaximumExamples)
        {
            errors.Add(new SpecError("spec.examples", $"{examples.Count} examples; expected at most {MaximumExamples}, each is a call at install"));
        }

        for (var i = 0; i < examples.Count; i++)
        {
            Text(examples[i].Description, $"spec.examples[{i}].description", 2_000, errors);
        }
    }

    private static void ValidatePool(PluginPoolSpec pool, List<SpecError> errors)
    {
        if (pool.MinWarm is < 0 or > AgentSpecValidator.MaximumReplicas)
        {
            errors.Add(new SpecError("spec.pool.minWarm", $"{pool.MinWarm} is out of range; expected 0 to {AgentSpecValidator.MaximumReplicas}"));
        }

        if (pool.MaxInstances is < 1 or > AgentSpecValidator.MaximumReplicas)
        {
            errors.Add(new SpecError("spec.pool.maxInstances", $"{pool.MaxInstances} is out of range; expected 1 to {AgentSpecValidator.MaximumReplicas}"));
        }
        else if (pool.MaxInstances < pool.MinWarm)
        {
            errors.Add(new SpecError("spec.pool.maxInstances", $"{pool.MaxInstances} is fewer than minWarm ({pool.MinWarm}); expected at least minWarm"));
        }

        if (pool.IdleTimeout <= TimeSpan.Zero)
        {
            errors.Add(new SpecError("spec.pool.idleTimeout", "must be more than zero; expected a duration like 5m"));
        }

        if (pool.Concurrency is < 1 or > 1_000)
        {
            errors.Add(new SpecError("spec.pool.concurrency", $"{pool.Concurrency} is out of range; expected 1 to 1000 calls per instance"));
        }
    }

    private static void Env(IReadOnlyDictionary<string, string> env, string path, List<SpecError> errors)
    {
        foreach (var (name, value) in env)
        {
            if (!SpecNames.IsEnvName(name))
            {
                errors.Add(new SpecError(SpecPaths.Member(path, name), "not a valid variable name; expected letters, digits and '_', not starting with a digit"));
            }

            AgentSpecValidator.CheckReferences(value ?? string.Empty, SpecPaths.Member(path, name), errors);
        }
    }

    private static void Schema(JsonObject? schema, string path, List<SpecError> errors)
    {
        if (schema?["type"] is not { } type)
        {
            return;
        }

        var names = type is JsonArray list ? list.Select(t => t?.GetValueKind() == System.Text.Json.JsonValueKind.String ? t.GetValue<string>() : null) : [type.GetValueKind() == System.Text.Json.JsonValueKind.String ? type.GetValue<string>() : null];
        if (names.Any(n => n is null || !SchemaTypes.Contains(n)))
        {
            errors.Add(new SpecError($"{path}.type", $"expected a JSON Schema type ({string.Join(", ", SchemaTypes)}) or a list of them"));
        }
    }

    private static void Text(string? value, string path, int maxLength, List<SpecError> errors)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(new SpecError(path, $"{value.Length} characters; expected at most {maxLength}"));
        }
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            errors.Add(new SpecError(path, "holds control characters; expected plain text"));
        }
    }

    private static string CallerSafe(string text) =>
        text.Length > 80 ? $"{new string([.. text[..80].Select(c => char.IsControl(c) ? '?' : c)])}…" : new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
}
