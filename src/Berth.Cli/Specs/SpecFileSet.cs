using Berth.Core.Llm;
using Berth.Core.Messaging;
using Berth.Core.Specs;
using Berth.Core.Workflows;

namespace Berth.Cli.Specs;

/// <summary>The resources read from the <c>-f</c> files, by kind, and every problem found, each with the file it came from.</summary>
internal sealed record SpecFileSet(IReadOnlyList<AgentSpec> Agents, IReadOnlyList<WorkflowSpec> Workflows, IReadOnlyList<(string Source, SpecError Error)> Errors)
{
    /// <summary>The plugin manifests read: valid specs, but installed from their folder (<c>berth plugins install</c>), never applied.</summary>
    public IReadOnlyList<(string Source, PluginSpec Plugin)> Plugins { get; init; } = [];

    /// <summary>The model endpoints read (<c>kind: ModelEndpoint</c>).</summary>
    public IReadOnlyList<ModelEndpointSpec> ModelEndpoints { get; init; } = [];

    /// <summary>The topics read (<c>kind: Topic</c>).</summary>
    public IReadOnlyList<TopicSpec> Topics { get; init; } = [];

    /// <summary>The subscriptions read (<c>kind: Subscription</c>).</summary>
    public IReadOnlyList<SubscriptionSpec> Subscriptions { get; init; } = [];

    public bool IsValid => Errors.Count == 0;
}
