using System.Diagnostics;
using Berth.Testing;

namespace Berth.Cli.Tests.Published;

/// <summary>
/// The folder <c>dotnet publish src/Berth.Cli -c Release -o DIR</c> makes: <c>$BERTH_PUBLISHED_DIR</c> when set (CI points it at
/// the install the quick start just made from this tree, so the minutes of a Native AOT build are spent once), else published here.
/// </summary>
public sealed class PublishedCli : IAsyncLifetime
{
    public const string DirectoryVariable = "BERTH_PUBLISHED_DIR";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private string? _published;

    public string Directory => _published ?? throw new InvalidOperationException("not published yet");

    public string Berth => Path.Combine(Directory, "berth");

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } given)
        {
            _published = given;
            return;
        }

        var output = Path.Combine(Path.GetTempPath(), $"berth-published-{Guid.NewGuid():N}"[..30]);
        var start = new ProcessStartInfo(Repository.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", Path.Combine(Repository.Root, "src", "Berth.Cli"), "-c", "Release", "-o", output, "--nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        using var publish = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish");
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync(TestTimeouts.Token(PublishTimeout));
        publish.ExitCode.ShouldBe(0, $"dotnet publish src/Berth.Cli failed:\n{await log}\n{await errors}");
        _published = output;
    }

    public Task DisposeAsync()
    {
        if (_published is not null && Environment.GetEnvironmentVariable(DirectoryVariable) is not { Length: > 0 })
        {
            System.IO.Directory.Delete(_published, recursive: true);
        }

        return Task.CompletedTask;
    }
}
