using System.Text.Json.Serialization;
using Berth.Core.Messaging;
using Berth.Core.Specs;
using Berth.Core.Workflows;

namespace Berth.Core.Serialization;

/// <summary>Source-generated contracts of every spec kind, so reading and writing specs needs no reflection (trimming- and AOT-safe).</summary>
/// <remarks>
/// Spec records have <c>set</c> rather than <c>init</c> accessors: a generated contract fills init-only properties through the
/// constructor, which resets every field the JSON leaves out to <c>default</c> instead of the record's own default.
/// </remarks>
[JsonSerializable(typeof(AgentSpec))]
[JsonSerializable(typeof(WorkflowSpec))]
[JsonSerializable(typeof(PluginSpec))]
[JsonSerializable(typeof(TopicSpec))]
[JsonSerializable(typeof(SubscriptionSpec))]
[JsonSerializable(typeof(Llm.ModelEndpointSpec))]
internal sealed partial class SpecJsonContext : JsonSerializerContext;
