using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    /// <inheritdoc />
    /// <remarks>Runs as the container's user (the agent's <c>runAsUser</c> when set) in its working directory, with its environment.</remarks>
    public Task<IExecSession?> StartExecAsync(string instanceId, ExecStart start, CancellationToken cancellationToken) =>
        StartExecInContainerAsync(DockerLabels.ContainerName(instanceId), start, cancellationToken);

    /// <summary>Runs a command in the container <paramref name="name"/> (a name or id); null when it does not run.</summary>
    internal async Task<IExecSession?> StartExecInContainerAsync(string name, ExecStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (await _client.TryInspectContainerAsync(name, cancellationToken).ConfigureAwait(false) is not { State.Running: true } container)
        {
            return null;
        }

        string execId;
        try
        {
            execId = await _client.CreateExecAsync(
                container.Id,
                new ExecCreateRequest { Cmd = start.Command, AttachStdin = true, AttachStdout = true, AttachStderr = true, Tty = start.Tty },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound || ex.IsConflict)
        {
            // gone or stopped between the inspect and the exec
            return null;
        }

        var connection = await _client.StartExecAttachedAsync(execId, start.Tty, cancellationToken).ConfigureAwait(false);
        var session = new DockerExecSession(_client, execId, start.Tty, connection, _timeProvider);
        if (start.Tty && start.Size is { } size)
        {
            try
            {
                await session.ResizeAsync(size, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerEngineException)
            {
                // a command that already exited has no TTY to resize; the session still delivers its output and exit code
            }
        }

        return session;
    }
}
