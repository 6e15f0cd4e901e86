using Berth.Client.Contracts;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Specs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Workflows;

/// <summary>Applying workflows: validated in full (paths named) before anything is stored.</summary>
internal sealed class WorkflowCommands(IWorkflowStore workflows)
{
    public async Task<(WorkflowApplyResponse? Response, ProblemHttpResult? Problem)> ApplyAsync(WorkflowSpec spec, CancellationToken cancellationToken)
    {
        var errors = WorkflowSpecValidator.Validate(spec);
        if (errors.Count > 0)
        {
            return (null, Problems.Problems.Validation(errors));
        }

        var (record, outcome) = await workflows.ApplyAsync(spec, cancellationToken);
        return (new WorkflowApplyResponse(outcome, record), null);
    }
}
