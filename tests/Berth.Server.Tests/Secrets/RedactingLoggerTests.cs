using Berth.Server.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Tests.Secrets;

public sealed partial class RedactingLoggerTests : IDisposable
{
    private const string Value = "hunter2-is-the-value";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-log-{Guid.NewGuid():N}");
    private readonly LogCapture _registered = new();
    private readonly LogCapture _addedLater = new();
    private readonly ServiceProvider _services;

    public RedactingLoggerTests()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_registered).SetMinimumLevel(LogLevel.Trace));
        services.AddBerthSecrets(_directory);
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<ILoggerFactory>().AddProvider(_addedLater);
        _services.GetRequiredService<SecretRedactor>().Remember("db", System.Text.Encoding.UTF8.GetBytes(Value));
    }

    public void Dispose()
    {
        _services.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Log_SourceGeneratedMessageWithTheValue_EveryProviderSeesItRedacted()
    {
        var logger = _services.GetRequiredService<ILogger<RedactingLoggerTests>>();

        LogConnecting(logger, $"postgres://app:{Value}@db/app");

        foreach (var capture in new[] { _registered, _addedLater })
        {
            capture.Text.ShouldContain("postgres://app:[redacted:db]@db/app");
            capture.Text.ShouldNotContain(Value);
        }
    }

    [Fact]
    public void Log_ExceptionWhoseMessageHoldsTheValue_IsRedacted()
    {
        var logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger("test");

        logger.LogError(new InvalidOperationException($"bad password {Value}"), "operation failed");

        _registered.Text.ShouldContain("bad password [redacted:db]");
        _registered.Text.ShouldNotContain(Value);
    }

    [Fact]
    public void Log_WithoutTheValue_PassesThroughUnchanged()
    {
        var logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger("test");

        LogConnecting(logger, "nothing secret here");

        _registered.Text.ShouldContain("Connecting to nothing secret here [Target=nothing secret here");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to {Target}")]
    private static partial void LogConnecting(ILogger logger, string target);
}
