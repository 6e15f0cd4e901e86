using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Berth.Client;
using Berth.Client.Tls;
using Berth.Server;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth server</c>: hosts the Berth server in this process until Ctrl+C or SIGTERM.</summary>
internal static class ServerCommand
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public static Command Create(CliContext context)
    {
        var urls = new Option<string?>("--urls") { Description = "Address to listen on (default http://127.0.0.1:2378)", HelpName = "url" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Directory for the store and agent files (default ~/.berth)", HelpName = "dir" };
        var runtime = new Option<string?>("--runtime") { Description = "Runtime driver: auto, docker or process (default auto)", HelpName = "name" };
        runtime.AcceptOnlyFromAmong("auto", "docker", "process");
        var command = new Command("server", "Run the Berth server in the foreground")
        {
            urls, dataDir, runtime,
        };

        // Any other --Key value pairs pass through as ASP.NET configuration (for example --Logging:LogLevel:Default Debug).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var arguments = new List<string>();
            void Pass(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    arguments.Add(name);
                    arguments.Add(value);
                }
            }

            Pass("--urls", session.ParseResult.GetValue(urls));
            Pass("--data-dir", session.ParseResult.GetValue(dataDir));
            Pass("--runtime", session.ParseResult.GetValue(runtime));
            arguments.AddRange(session.ParseResult.UnmatchedTokens);

            BerthServer started;
            try
            {
                started = await BerthServer.StartAsync([.. arguments], cancellationToken);
            }
            catch (BerthServerStartException exception)
            {
                throw new CliException(exception.Message, ExitCodes.Failure);
            }

            await using var server = started;
            foreach (var warning in server.Warnings)
            {
                session.Console.MarkupLineInterpolated($"[bold yellow]WARNING:[/] {warning}");
            }

            await DescribeAsync(session, server.Address, server.DataDirectory, server.Certificate, cancellationToken);
            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: stop gracefully below.
            }

            session.Console.WriteLine("stopping…");
            using var grace = new CancellationTokenSource(StopGrace, session.Context.Time);
            await server.StopAsync(grace.Token);
            session.Console.WriteLine("stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task DescribeAsync(CliSession session, Uri address, string dataDirectory, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        var console = session.Console;
        console.MarkupLineInterpolated($"[green]Berth is listening on {address}[/]");
        var adminToken = Path.Combine(dataDirectory, Auth.Credentials.AdminTokenFileName);
        try
        {
            // Over TLS, trust exactly the certificate this process serves: it may come from a CA this host does not trust.
            var token = (await File.ReadAllTextAsync(adminToken, cancellationToken)).Trim();
            using var client = certificate is null
                ? new BerthClient(address, session.Context.Time) { Token = token }
                : new BerthClient(address, ServerCertificateTrust.CreatePinnedHandler(certificate), session.Context.Time) { Token = token };
            var info = await client.GetServerInfoAsync(cancellationToken);
            console.WriteLine($"data:     {info.DataDirectory} ({info.Store})");
            console.WriteLine($"runtimes: {(info.Runtimes.Count == 0 ? "none available" : string.Join(", ", info.Runtimes))}");
            console.WriteLine($"status:   {info.Status}");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or Client.Errors.BerthApiException or System.Text.Json.JsonException)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] could not read the server's status: {exception.Message}");
        }

        console.WriteLine($"admin:    token in {adminToken} (readable by you only; the CLI on this host reads it from $BERTH_DATA_DIR or ~/.berth)");
        var dataDirVariable = IsDefaultDataDirectory(session, dataDirectory) ? "" : $"BERTH_DATA_DIR={dataDirectory} ";
        console.WriteLine($"use it:   {dataDirVariable}BERTH_URL={address.GetLeftPart(UriPartial.Authority)} berth get agents");
        console.WriteLine($"          elsewhere: berth login --server {address.GetLeftPart(UriPartial.Authority)} --token $(cat {adminToken})");
        console.WriteLine("press Ctrl+C to stop");
    }

    private static bool IsDefaultDataDirectory(CliSession session, string dataDirectory) =>
        Auth.Credentials.AdminTokenPath(session.Context) is { } path &&
        string.Equals(Path.GetDirectoryName(path), Path.GetFullPath(dataDirectory).TrimEnd('/'), StringComparison.Ordinal);
}
