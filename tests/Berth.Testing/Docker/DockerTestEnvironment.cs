using Berth.Runtime.Docker.Engine;

namespace Berth.Testing.Docker;

/// <summary>
/// Gives integration tests a client for the real dockerd. xUnit v2 cannot skip a test at run time, so a
/// missing engine always FAILS the test with a message saying how to start it; the test script installs and
/// starts docker, and CI (CI=true) must never pass by silently skipping the container tests.
/// </summary>
public static class DockerTestEnvironment
{
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
