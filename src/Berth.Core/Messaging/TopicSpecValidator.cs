using Berth.Core.Specs;

namespace Berth.Core.Messaging;

/// <summary>Semantic rules of a <see cref="TopicSpec"/>.</summary>
public static class TopicSpecValidator
{
    /// <summary>Longest retention: 90 days.</summary>
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(90);

    /// <summary>Longest visibility timeout (lease): 12 hours.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);

    /// <summary>Longest dedupe window: 7 days.</summary>
    public static readonly TimeSpan MaxDedupeWindow = TimeSpan.FromDays(7);

    /// <summary>Checks every rule and returns every problem found (empty when the spec is valid).</summary>
    public static IReadOnlyList<SpecError> Validate(TopicSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<SpecError>();
        if (!SpecNames.IsDnsLabel(spec.Name))
        {
            errors.Add(new SpecError("metadata.name", spec.Name.Length == 0 ? $"required; expected {SpecNames.DnsLabelHint}" : $"'{spec.Name}' is not valid; expected {SpecNames.DnsLabelHint}"));
        }

        Between(spec.Retention, TimeSpan.FromMinutes(1), MaxRetention, "spec.retention", errors);
        Between(spec.VisibilityTimeout, TimeSpan.FromSeconds(1), MaxVisibilityTimeout, "spec.visibilityTimeout", errors);
        Between(spec.DedupeWindow, TimeSpan.Zero, MaxDedupeWindow, "spec.dedupeWindow", errors);
        if (spec.MaxDeliveries is < 1 or > 1000)
        {
            errors.Add(new SpecError("spec.maxDeliveries", $"{spec.MaxDeliveries} is out of range; expected a number of deliveries from 1 to 1000"));
        }

        if (spec.DeadLetter is { } deadLetter)
        {
            if (!SpecNames.IsDnsLabel(deadLetter))
            {
                errors.Add(new SpecError("spec.deadLetter", $"'{deadLetter}' is not a topic name; expected {SpecNames.DnsLabelHint}"));
            }
            else if (deadLetter == spec.Name)
            {
                errors.Add(new SpecError("spec.deadLetter", "names the topic itself; expected another topic, or none"));
            }
        }

        return errors;
    }

    internal static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string path, List<SpecError> errors)
    {
        if (value < min || value > max)
        {
            errors.Add(new SpecError(path, $"{Duration.Format(value)} is out of range; expected from {Duration.Format(min)} to {Duration.Format(max)}"));
        }
    }
}
