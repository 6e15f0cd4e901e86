using System.Security.Cryptography.X509Certificates;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Client.Tls;
using Spectre.Console;

namespace Berth.Server.Host;

/// <summary>
/// Runs the Berth server in the foreground until cancelled (Ctrl+C or SIGTERM), printing where it listens and how to use it.
/// What <c>berth server</c> runs: the AOT CLI validates its options and replaces itself with this executable.
/// </summary>
internal static class ServerHost
{
    /// <summary>The server started and stopped cleanly.</summary>
    public const int Ok = 0;

    /// <summary>The server could not start (bad configuration, port taken, data directory unusable).</summary>
    public const int Failure = 1;

    private const string AdminTokenFileName = "admin.token";

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Starts the server with <paramref name="args"/> (configuration arguments, see <see cref="BerthServer.StartAsync"/>) and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        BerthServer started;
        try
        {
            started = await BerthServer.StartAsync(args, cancellationToken);
        }
        catch (BerthServerStartException exception)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]cancelled[/]");
            return Failure;
        }

        await using var server = started;
        foreach (var warning in server.Warnings)
        {
            console.MarkupLineInterpolated($"[bold yellow]WARNING:[/] {warning}");
        }

        await DescribeAsync(console, environment, server.Address, server.DataDirectory, server.Certificate, cancellationToken);
        try
        {
            await server.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: stop gracefully below.
        }

        console.WriteLine("stopping…");
        using var grace = new CancellationTokenSource(StopGrace);
        await server.StopAsync(grace.Token);
        console.WriteLine("stopped");
        return Ok;
    }

    private static async Task DescribeAsync(
        IAnsiConsole console, Func<string, string?> environment, Uri address, string dataDirectory, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        console.MarkupLineInterpolated($"[green]Berth is listening on {address}[/]");
        var adminToken = Path.Combine(dataDirectory, AdminTokenFileName);
        try
        {
            // Over TLS, trust exactly the certificate this process serves: it may come from a CA this host does not trust.
            var token = (await File.ReadAllTextAsync(adminToken, cancellationToken)).Trim();
            using var client = certificate is null
                ? new BerthClient(address) { Token = token }
                : new BerthClient(address, ServerCertificateTrust.CreatePinnedHandler(certificate)) { Token = token };
            var info = await client.GetServerInfoAsync(cancellationToken);
            console.WriteLine($"data:     {info.DataDirectory} ({info.Store})");
            console.WriteLine($"runtimes: {(info.Runtimes.Count == 0 ? "none available" : string.Join(", ", info.Runtimes))}");
            console.WriteLine($"status:   {info.Status}");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or BerthApiException or System.Text.Json.JsonException)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] could not read the server's status: {exception.Message}");
        }

        console.WriteLine($"admin:    token in {adminToken} (readable by you only; the CLI on this host reads it from $BERTH_DATA_DIR or ~/.berth)");
        var dataDirVariable = IsDefaultDataDirectory(environment, dataDirectory) ? "" : $"BERTH_DATA_DIR={dataDirectory} ";
        console.WriteLine($"use it:   {dataDirVariable}BERTH_URL={address.GetLeftPart(UriPartial.Authority)} berth get agents");
        console.WriteLine($"          elsewhere: berth login --server {address.GetLeftPart(UriPartial.Authority)} --token $(cat {adminToken})");
        console.WriteLine("press Ctrl+C to stop");
    }

    /// <summary>Whether the CLI on this host finds the admin token without BERTH_DATA_DIR: the directory is $BERTH_DATA_DIR or ~/.berth.</summary>
    private static bool IsDefaultDataDirectory(Func<string, string?> environment, string dataDirectory)
    {
        var cliDirectory = environment("BERTH_DATA_DIR") is { Length: > 0 } configured
            ? configured
            : environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".berth") : null;
        return cliDirectory is not null &&
            string.Equals(Path.GetFullPath(cliDirectory).TrimEnd('/'), Path.GetFullPath(dataDirectory).TrimEnd('/'), StringComparison.Ordinal);
    }
}
