using Berth.Core.Messaging;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Specs;

namespace Berth.Core.Specs;

/// <summary>Every kind a spec document may have.</summary>
internal static class SpecKinds
{
    public static readonly SpecKind<AgentSpec> Agent = new(
        "Agent", (a, name) => a with { Name = name }, (a, context) => AgentSpecValidator.Validate(a, "spec", context), AgentSpecPaths.Resolve);

    public static readonly SpecKind<WorkflowSpec> Workflow = new(
        "Workflow", (w, name) => w with { Name = name }, (w, _) => WorkflowSpecValidator.Validate(w));

    public static readonly SpecKind<PluginSpec> Plugin = new(
        "Plugin", (p, name) => p with { Name = name }, (p, _) => PluginSpecValidator.Validate(p), PluginSpecPaths.Resolve);

    public static readonly SpecKind<TopicSpec> Topic = new(
        "Topic", (t, name) => t with { Name = name }, (t, _) => TopicSpecValidator.Validate(t));

    public static readonly SpecKind<SubscriptionSpec> Subscription = new(
        "Subscription", (s, name) => s with { Name = name }, (s, _) => SubscriptionSpecValidator.Validate(s));

    public static readonly SpecKind<Llm.ModelEndpointSpec> ModelEndpoint = new(
        "ModelEndpoint", (e, name) => e with { Name = name }, (e, _) => Llm.ModelEndpointSpecValidator.Validate(e));

    public static IReadOnlyList<SpecKind> All { get; } = [Agent, Workflow, Plugin, Topic, Subscription, ModelEndpoint];

    public static SpecKind? Find(string name) => All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));
}
