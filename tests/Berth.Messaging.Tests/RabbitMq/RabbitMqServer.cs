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

    /// <summary>
    /// Sets RabbitMQ's consumer timeout and how often channels check it (both read by channels opened afterwards), in ms.
    /// The defaults are 1800000 and 60000.
    /// </summary>
    public static async Task SetConsumerTimeoutAsync(int timeoutMs, int checkEveryMs)
    {
        await RabbitMqCtlAsync("eval", $"application:set_env(rabbit, consumer_timeout, {timeoutMs}).");
        await RabbitMqCtlAsync("eval", $"application:set_env(rabbit, channel_tick_interval, {checkEveryMs}).");
    }

    private static async Task RabbitMqCtlAsync(params string[] arguments)
    {
        var command = string.Join(' ', arguments);
        var start = new ProcessStartInfo("rabbitmqctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestTimeouts.Token());
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
