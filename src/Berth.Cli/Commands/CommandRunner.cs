using System.CommandLine;
using Berth.Client.Errors;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>Runs a verb's body and turns every failure into one clear message and an exit code.</summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="command"/>'s action to run <paramref name="body"/> inside the shared error handling.</summary>
    public static void SetBody(this Command command, CliContext context, Func<CliSession, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(new CliSession(context, parseResult), body, cancellationToken));

    private static async Task<int> RunAsync(CliSession session, Func<CliSession, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var console = session.Console;
        try
        {
            return await body(session, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]cancelled[/]");
            return ExitCodes.Cancelled;
        }
        catch (CliException exception)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return exception.ExitCode;
        }
        catch (BerthUnavailableException exception)
        {
            console.MarkupLineInterpolated(
                $"[red]error:[/] cannot reach Berth at {exception.Server.GetLeftPart(UriPartial.Authority)}: start it with 'berth server' or pass --server");
            return ExitCodes.Unavailable;
        }
        catch (BerthApiException exception) when (exception.IsUnauthorized)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {Unauthorized(session, exception)}");
            return ExitCodes.Unauthorized;
        }
        catch (BerthApiException exception) when (exception.IsForbidden)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Detail ?? "forbidden"} Use a token with a stronger role (an admin creates one with 'berth tokens create').");
            return ExitCodes.Forbidden;
        }
        catch (BerthApiException exception)
        {
            ErrorOutput.WriteProblem(console, exception);
            return exception.Status switch
            {
                404 => ExitCodes.NotFound,
                400 or 422 => ExitCodes.Invalid,
                _ => ExitCodes.Failure,
            };
        }
        catch (TimeoutException exception)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return ExitCodes.Timeout;
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            console.MarkupLineInterpolated(
                $"[red]error:[/] no TLS connection to Berth at {session.ServerAddress} ({exception.InnerException?.Message ?? exception.Message}); if the server's certificate comes from a private CA, pass --ca-cert FILE or set BERTH_CA_CERT");
            return ExitCodes.Failure;
        }
        catch (HttpRequestException exception)
        {
            console.MarkupLineInterpolated($"[red]error:[/] talking to Berth at {session.ServerAddress} failed: {exception.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string Unauthorized(CliSession session, BerthApiException exception)
    {
        var credentials = session.Credentials;
        var server = credentials.Server.GetLeftPart(UriPartial.Authority);
        var problem = exception.Detail is { } detail ? FirstSentence(detail) : "unauthorized";
        var sent = credentials.Token is null ? "no token was sent" : $"the token from {credentials.TokenSource} was rejected ({problem})";
        return $"{server} needs a token; {sent}. Pass --token, set {Auth.Credentials.TokenVariable} or run 'berth login --server {server} --token TOKEN' " +
            $"(on the server's host: {Auth.Credentials.AdminTokenFileName} in $BERTH_DATA_DIR or ~/.berth)";
    }

    private static string FirstSentence(string text) => text.Split(". ", 2)[0].TrimEnd('.');
}
