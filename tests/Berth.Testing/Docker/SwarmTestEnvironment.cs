using System.Diagnostics;
using Berth.Runtime.Docker.Engine;

namespace Berth.Testing.Docker;

/// <summary>
/// Makes the test engine a single-node swarm manager (advertised on 127.0.0.1) unless it already is one, with the docker
/// CLI the test script installs. The swarm is left in place: other tests do not mind it, and a later run reuses it.
/// </summary>
public static class SwarmTestEnvironment
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task EnsureManagerAsync(DockerEngineClient docker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if ((await docker.GetSwarmInfoAsync(cancellationToken)).LocalNodeState == "active")
            {
                return;
            }

            using var init = Process.Start(new ProcessStartInfo("docker", ["swarm", "init", "--advertise-addr", "127.0.0.1"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = init.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = await init.StandardError.ReadToEndAsync(cancellationToken);
            await init.WaitForExitAsync(cancellationToken);
            await output;
            if (init.ExitCode != 0 && (await docker.GetSwarmInfoAsync(cancellationToken)).LocalNodeState != "active")
            {
                throw new InvalidOperationException($"'docker swarm init --advertise-addr 127.0.0.1' failed ({init.ExitCode}): {error.Trim()}");
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
