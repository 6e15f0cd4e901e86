using Berth.Runtime.Docker.Engine;

namespace Berth.Testing.Docker;

/// <summary>
/// Gives integration tests a client for the real dockerd. xUnit v2 cannot skip a test at run time, so a
/// missing engine always FAILS the test with a message saying how to start it; the test script installs and
/// starts docker, and CI (CI=true) must never pass by silently skipping the container tests. In the fast loop
/// (<see cref="FastLoopVariable"/>=1) every call fails at once: a test that got there lacks <see cref="RequiresDockerAttribute"/>.
/// </summary>
public static class DockerTestEnvironment
{
    /// <summary>Set to <c>1</c> by <c>scripts/test.sh --fast</c>, which runs only the tests without <see cref="RequiresDockerAttribute"/>.</summary>
    public const string FastLoopVariable = "BERTH_TEST_FAST";

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>True when the engine at the default socket (or DOCKER_HOST) answers a ping.</summary>
    public static async Task<bool> IsAvailableAsync()
    {
        using var client = new DockerEngineClient();
        using var timeout = new CancellationTokenSource(PingTimeout);
        try
        {
            await client.PingAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is DockerEngineException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Returns a client for a reachable engine, or throws with a message saying how to provide one. The caller disposes it.</summary>
    public static async Task<DockerEngineClient> RequireAsync()
    {
        if (Environment.GetEnvironmentVariable(FastLoopVariable) == "1")
        {
            throw new InvalidOperationException(
                $"This test needs a Docker engine but ran in the fast loop ({FastLoopVariable}=1), which has none: " +
                "mark its class [RequiresDocker] (Berth.Testing) so `scripts/test.sh --fast` leaves it out.");
        }

        var client = new DockerEngineClient();
        using var timeout = new CancellationTokenSource(PingTimeout);
        try
        {
            await client.PingAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception ex) when (ex is DockerEngineException or OperationCanceledException)
        {
            client.Dispose();
            var where = Environment.GetEnvironmentVariable("CI") == "true" ? "CI" : "this machine";
            throw new InvalidOperationException(
                $"These tests need a running Docker engine at {client.Endpoint} and none answered on {where}: " +
                "install docker.io and start dockerd (the test script does both), or set DOCKER_HOST=unix:///path/to/docker.sock. " +
                $"Cause: {ex.Message}",
                ex);
        }
    }
}
