using Berth.Core.Messaging;
using Berth.Core.Workflows;

namespace Berth.Core.Specs;

/// <summary>Everything read from one spec text: the resources by kind, and every problem found.</summary>
public sealed record SpecSet
{
    /// <summary>The resources of the documents that had no problems, of every kind, in document order. Empty by default.</summary>
    public IReadOnlyList<object> Resources { get; init; } = [];

    /// <summary>The agents among <see cref="Resources"/>.</summary>
    public IReadOnlyList<AgentSpec> Agents => [.. Resources.OfType<AgentSpec>()];

    /// <summary>The workflows among <see cref="Resources"/>.</summary>
    public IReadOnlyList<WorkflowSpec> Workflows => [.. Resources.OfType<WorkflowSpec>()];

    /// <summary>The plugin manifests among <see cref="Resources"/>.</summary>
    public IReadOnlyList<PluginSpec> Plugins => [.. Resources.OfType<PluginSpec>()];

    /// <summary>The topics among <see cref="Resources"/>.</summary>
    public IReadOnlyList<TopicSpec> Topics => [.. Resources.OfType<TopicSpec>()];

    /// <summary>The subscriptions among <see cref="Resources"/>.</summary>
    public IReadOnlyList<SubscriptionSpec> Subscriptions => [.. Resources.OfType<SubscriptionSpec>()];

    /// <summary>The model endpoints among <see cref="Resources"/>.</summary>
    public IReadOnlyList<Llm.ModelEndpointSpec> ModelEndpoints => [.. Resources.OfType<Llm.ModelEndpointSpec>()];

    /// <summary>Every problem found, in document order. Empty when the text is valid.</summary>
    public IReadOnlyList<SpecError> Errors { get; init; } = [];

    /// <summary>True when no problem was found; only then should the set be applied.</summary>
    public bool IsValid => Errors.Count == 0;
}
