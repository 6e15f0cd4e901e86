namespace Berth.Server.Tests.Workflows.Engine;

/// <summary>Workflow tests against the real Docker engine run one at a time: the timing tests need the machine's two cores.</summary>
[CollectionDefinition(Name)]
public sealed class WorkflowDockerGroup
{
    public const string Name = "workflow-docker";
}
