using System.Text.RegularExpressions;
using Berth.Core.Specs;
using Berth.Core.Workflows.Inputs;

namespace Berth.Core.Workflows.Specs;

/// <summary>Semantic rules of a <see cref="WorkflowSpec"/>, independent of how it was written (YAML file or JSON body).</summary>
public static partial class WorkflowSpecValidator
{
    /// <summary>Largest <see cref="WorkflowSpec.Concurrency"/> accepted: 64.</summary>
    public const int MaximumConcurrency = 64;

    /// <summary>Largest <see cref="StepRetrySpec.MaxAttempts"/> accepted: 100.</summary>
    public const int MaximumAttempts = 100;

    private const string InputNameHint = "letters, digits, '_' and '-', starting with a letter or '_'";

    /// <summary>Checks every rule and returns every problem found (empty when the spec is valid).</summary>
    /// <param name="spec">The spec to check.</param>
    /// <param name="pathPrefix">Prefix of error paths. Default <c>spec</c>, giving <c>spec.steps[2].retry.maxAttempts</c>; with <c>spec</c> the name is reported as <c>metadata.name</c>, otherwise as <c>{prefix}.name</c>.</param>
    public static IReadOnlyList<SpecError> Validate(WorkflowSpec spec, string pathPrefix = "spec")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(pathPrefix);
        var errors = new List<SpecError>();
        var at = new Paths(pathPrefix);
        var namePath = pathPrefix == "spec" ? "metadata.name" : at["name"];
        if (string.IsNullOrEmpty(spec.Name))
        {
            errors.Add(new SpecError(namePath, $"required; expected {SpecNames.DnsLabelHint}"));
        }
        else if (!SpecNames.IsDnsLabel(spec.Name))
        {
            errors.Add(new SpecError(namePath, $"'{spec.Name}' is not valid; expected {SpecNames.DnsLabelHint}"));
        }

        if (spec.Concurrency is < 1 or > MaximumConcurrency)
        {
            errors.Add(new SpecError(at["concurrency"], $"expected a number of steps from 1 to {MaximumConcurrency}, found {spec.Concurrency}"));
        }

        Positive(spec.Timeout, at["timeout"], errors);
        ValidateInputs(spec, at, errors);
        ValidateSchedules(spec, at, errors);
        ValidateTrigger(spec, at, errors);
        ValidateSteps(spec, at, errors);
        return errors;
    }

    private static void ValidateInputs(WorkflowSpec spec, Paths at, List<SpecError> errors)
    {
        foreach (var (name, input) in spec.Inputs)
        {
            var path = SpecPaths.Member(at["inputs"], name);
            if (!InputName().IsMatch(name))
            {
                errors.Add(new SpecError(path, $"'{name}' is not a valid input name; expected {InputNameHint}"));
            }

            if (!Enum.IsDefined(input.Type))
            {
                errors.Add(new SpecError($"{path}.type", "expected string, number, boolean, list or object"));
                continue;
            }

            if (input.Required && input.Default is not null)
            {
                errors.Add(new SpecError($"{path}.default", "a required input has no default; drop required: true or the default"));
            }
            else if (input.Default is not null && !InputTypes.Matches(input.Default, input.Type))
            {
                errors.Add(new SpecError($"{path}.default", $"the default of a {InputTypes.Name(input.Type)} input must be {InputTypes.Expected(input.Type)}, got {InputTypes.Show(input.Default)}"));
            }
        }
    }

    private static void ValidateSchedules(WorkflowSpec spec, Paths at, List<SpecError> errors)
    {
        for (var i = 0; i < spec.Schedules.Count; i++)
        {
            var schedule = spec.Schedules[i];
            var path = $"{at["schedule"]}[{i}]";
            if (string.IsNullOrWhiteSpace(schedule.Cron))
            {
                errors.Add(new SpecError($"{path}.cron", "required; expected a cron expression like */5 * * * * (or Quartz's 0 0/5 * * * ?)"));
            }
            else if (!CronSchedule.TryParse(schedule.Cron, out _, out var cronError))
            {
                errors.Add(new SpecError($"{path}.cron", $"'{schedule.Cron}' is not a valid cron expression: {cronError}"));
            }

            var given = new System.Text.Json.Nodes.JsonObject();
            foreach (var (name, value) in schedule.Inputs)
            {
                given[name] = value?.DeepClone();
            }

            errors.AddRange(InputBinder.Bind(spec, given, $"{path}.inputs").Errors);
        }
    }

    private static void ValidateTrigger(WorkflowSpec spec, Paths at, List<SpecError> errors)
    {
        if (spec.On is null)
        {
            return;
        }

        if (spec.On.Message is not { } message)
        {
            errors.Add(new SpecError(at["on"], "expected { message: { topic, filter } }"));
            return;
        }

        var path = $"{at["on"]}.message";
        if (!SpecNames.IsDnsLabel(message.Topic))
        {
            errors.Add(new SpecError($"{path}.topic", message.Topic.Length == 0 ? "required; expected the name of a topic" : $"'{message.Topic}' is not a topic name; expected {SpecNames.DnsLabelHint}"));
        }

        var problems = new List<string>();
        Messaging.MessageLimits.CheckAttributes(message.Filter, $"{path}.filter", problems);
        errors.AddRange(problems.Select(p => new SpecError($"{path}.filter", p[$"{path}.filter: ".Length..])));
    }

    private static void Positive(TimeSpan? value, string path, List<SpecError> errors)
    {
        if (value is { } time && time <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(path, "expected a positive duration like 30s, 5m or 1h; leave it out for no limit"));
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex InputName();

    private readonly struct Paths(string prefix)
    {
        public string this[string field] => prefix.Length == 0 ? field : $"{prefix}.{field}";
    }
}
