using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Plugins;
using Berth.Core.Requests;
using Berth.Core.Runtime;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;

namespace Berth.Client;

/// <summary>
/// Source-generated contracts of everything the client sends and reads (and the CLI prints), so neither needs reflection:
/// <c>berth</c> is a Native AOT binary. A type missing here fails every test that reads it, not only the AOT build.
/// </summary>
[JsonSerializable(typeof(AgentView))]
[JsonSerializable(typeof(List<AgentView>))]
[JsonSerializable(typeof(IReadOnlyList<AgentView>))]
[JsonSerializable(typeof(ApplyResponse))]
[JsonSerializable(typeof(RemoveResponse))]
[JsonSerializable(typeof(List<AgentEvent>))]
[JsonSerializable(typeof(IReadOnlyList<AgentEvent>))]
[JsonSerializable(typeof(LogEntry))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(ImageBuildResponse))]
[JsonSerializable(typeof(List<AgentCardView>))]
[JsonSerializable(typeof(IReadOnlyList<AgentCardView>))]
[JsonSerializable(typeof(List<CircuitView>))]
[JsonSerializable(typeof(CapabilityView))]
[JsonSerializable(typeof(List<CapabilityView>))]
[JsonSerializable(typeof(IReadOnlyList<CapabilityView>))]
[JsonSerializable(typeof(CapabilityDetail))]
[JsonSerializable(typeof(CapabilityProviderView))]
[JsonSerializable(typeof(IReadOnlyList<CircuitView>))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreatedToken))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(List<TokenView>))]
[JsonSerializable(typeof(IReadOnlyList<TokenView>))]
[JsonSerializable(typeof(List<AuditRecord>))]
[JsonSerializable(typeof(IReadOnlyList<AuditRecord>))]
[JsonSerializable(typeof(SecretView))]
[JsonSerializable(typeof(List<SecretView>))]
[JsonSerializable(typeof(IReadOnlyList<SecretView>))]
[JsonSerializable(typeof(SecretRemoveResponse))]
[JsonSerializable(typeof(RequestView))]
[JsonSerializable(typeof(List<RequestView>))]
[JsonSerializable(typeof(IReadOnlyList<RequestView>))]
[JsonSerializable(typeof(RequestDetail))]
[JsonSerializable(typeof(PurgeAnswer))]
[JsonSerializable(typeof(WorkflowApplyResponse))]
[JsonSerializable(typeof(WorkflowRecord))]
[JsonSerializable(typeof(List<WorkflowRecord>))]
[JsonSerializable(typeof(IReadOnlyList<WorkflowRecord>))]
[JsonSerializable(typeof(StartRunRequest))]
[JsonSerializable(typeof(RunView))]
[JsonSerializable(typeof(List<RunView>))]
[JsonSerializable(typeof(IReadOnlyList<RunView>))]
[JsonSerializable(typeof(RunEvent))]
[JsonSerializable(typeof(CacheExplanation))]
[JsonSerializable(typeof(PluginCheckReport))]
[JsonSerializable(typeof(PluginInstallResponse))]
[JsonSerializable(typeof(PluginSummary))]
[JsonSerializable(typeof(List<PluginSummary>))]
[JsonSerializable(typeof(IReadOnlyList<PluginSummary>))]
[JsonSerializable(typeof(PluginDetail))]
[JsonSerializable(typeof(PluginRemoveResponse))]
[JsonSerializable(typeof(PluginInvokeRequest))]
[JsonSerializable(typeof(PluginInvokeResponse))]
[JsonSerializable(typeof(List<PluginInvocationView>))]
[JsonSerializable(typeof(IReadOnlyList<PluginInvocationView>))]
[JsonSerializable(typeof(PluginOutcome))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(AgentState))]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(InstanceState))]
[JsonSerializable(typeof(AgentKind))]
[JsonSerializable(typeof(RestartPolicy))]
[JsonSerializable(typeof(LogSource))]
[JsonSerializable(typeof(ApplyOutcome))]
[JsonSerializable(typeof(RequestState))]
[JsonSerializable(typeof(DeliveryFailure))]
[JsonSerializable(typeof(RunState))]
[JsonSerializable(typeof(StepState))]
[JsonSerializable(typeof(StepKind))]
[JsonSerializable(typeof(InputType))]
[JsonSerializable(typeof(ErrorClass))]
[JsonSerializable(typeof(BackoffKind))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
