using Berth.Core.Specs;

namespace Berth.Core.Messaging;

/// <summary>Semantic rules of a <see cref="SubscriptionSpec"/>.</summary>
public static class SubscriptionSpecValidator
{
    /// <summary>Longest push path: 1024 characters.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Longest redelivery delay: 1 hour.</summary>
    public static readonly TimeSpan MaxRedeliveryDelay = TimeSpan.FromHours(1);

    /// <summary>Checks every rule and returns every problem found (empty when the spec is valid).</summary>
    public static IReadOnlyList<SpecError> Validate(SubscriptionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<SpecError>();
        if (!SpecNames.IsDnsLabel(spec.Name))
        {
            errors.Add(new SpecError("metadata.name", spec.Name.Length == 0 ? $"required; expected {SpecNames.DnsLabelHint}" : $"'{spec.Name}' is not valid; expected {SpecNames.DnsLabelHint}"));
        }

        if (!SpecNames.IsDnsLabel(spec.Topic))
        {
            errors.Add(new SpecError("spec.topic", spec.Topic.Length == 0 ? "required; expected the name of a topic" : $"'{spec.Topic}' is not a topic name; expected {SpecNames.DnsLabelHint}"));
        }

        var filterProblems = new List<string>();
        MessageLimits.CheckAttributes(spec.Filter, "spec.filter", filterProblems);
        errors.AddRange(filterProblems.Select(p => new SpecError("spec.filter", p["spec.filter: ".Length..])));
        ValidateDelivery(spec.Delivery, errors);
        TopicSpecValidator.Between(spec.Retry.InitialDelay, TimeSpan.Zero, MaxRedeliveryDelay, "spec.retry.initialDelay", errors);
        TopicSpecValidator.Between(spec.Retry.MaxDelay, spec.Retry.InitialDelay, MaxRedeliveryDelay, "spec.retry.maxDelay", errors);
        return errors;
    }

    private static void ValidateDelivery(DeliverySpec delivery, List<SpecError> errors)
    {
        if (delivery.Pull is not null && delivery.Push is not null)
        {
            errors.Add(new SpecError("spec.delivery", "sets both pull and push; expected one"));
        }

        if (delivery.Pull?.Agent is { } consumer && !SpecNames.IsDnsLabel(consumer))
        {
            errors.Add(new SpecError("spec.delivery.pull.agent", $"'{consumer}' is not an agent name; expected {SpecNames.DnsLabelHint}"));
        }

        if (delivery.Push is not { } push)
        {
            return;
        }

        if (!SpecNames.IsDnsLabel(push.Agent))
        {
            errors.Add(new SpecError("spec.delivery.push.agent", push.Agent.Length == 0 ? "required; expected the name of the agent messages are posted to" : $"'{push.Agent}' is not an agent name; expected {SpecNames.DnsLabelHint}"));
        }

        if (!push.Path.StartsWith('/') || push.Path.Length > MaxPathLength || push.Path.Any(c => char.IsControl(c) || c is ' ' or '#' or '?' or '\\')
            || push.Path.Split('/').Any(segment => segment is ".." or "."))
        {
            errors.Add(new SpecError("spec.delivery.push.path", $"expected a path starting with '/', at most {MaxPathLength} characters, with no spaces, '?', '#', '\\', control characters or '.'/'..' segments"));
        }

        if (push.Concurrency is < 1 or > 64)
        {
            errors.Add(new SpecError("spec.delivery.push.concurrency", $"{push.Concurrency} is out of range; expected a number of messages from 1 to 64"));
        }
    }
}
