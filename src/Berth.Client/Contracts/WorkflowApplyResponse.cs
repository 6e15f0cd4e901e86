using Berth.Core.Storage;
using Berth.Core.Workflows;

namespace Berth.Client.Contracts;

/// <summary>The answer to applying one workflow spec.</summary>
/// <param name="Outcome">Whether the workflow was created, updated or unchanged.</param>
/// <param name="Workflow">The workflow after the apply.</param>
public sealed record WorkflowApplyResponse(ApplyOutcome Outcome, WorkflowRecord Workflow);
