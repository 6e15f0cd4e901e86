using System.Diagnostics;
using Berth.Testing;

namespace Berth.Messaging.Tests.RabbitMq;

/// <summary>The RabbitMQ server the tests use (<c>BERTH_TEST_RABBITMQ_URL</c>, else the local one scripts/test.sh starts), and its app control.</summary>
internal static class RabbitMqServer
{
    public static string Url { get; } = Environment.GetEnvironmentVariable("BERTH_TEST_RABBITMQ_URL") is { Length: > 0 } url
        ? url
        : "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Stops the RabbitMQ application (the node stays up): every connection is closed and the port refuses.</summary>
    public static Task StopAppAsync() => RabbitMqCtlAsync("stop_app");

    /// <summary>Starts the RabbitMQ application again and waits until it serves.</summary>
    public static async Task StartAppAsync()
    {
        await RabbitMqCtlAsync("start_app");
        await RabbitMqCtlAsync("await_startup");
    }

    private static async Task RabbitMqCtlAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestTimeouts.Token());
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
