using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;

namespace Berth.Server.Workflows.Steps;

/// <summary>Stands in when the server runs without Docker (<c>--runtime process</c>): container steps fail as <c>config</c> and say what to change.</summary>
internal sealed class NoContainerStepRunner : IContainerStepRunner
{
    private const string Message = "container steps need Docker, but this server runs with --runtime process; start it with --runtime docker or auto";

    public Task<string> ResolveImageAsync(string image, CancellationToken cancellationToken) => throw new StepRunException(ErrorClass.Config, Message);

    public Task<string> StartAsync(ContainerStepLaunch launch, CancellationToken cancellationToken) => throw new StepRunException(ErrorClass.Config, Message);

    public Task<ContainerStepResult> WaitAsync(
        string containerId, IReadOnlyList<string> outputs, Func<string, CancellationToken, Task>? onLine, CancellationToken cancellationToken) =>
        throw new StepRunException(ErrorClass.Config, Message);

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> ListAsync(string owner, string? runId, string? stepId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
}
