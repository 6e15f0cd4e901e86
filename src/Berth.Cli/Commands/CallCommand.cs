using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth call NAME [PATH] [-X METHOD] [-d BODY|@FILE|@-] [-H 'Name: value']</c>: sends one request to an agent
/// through Berth's proxy and prints the answer's body to stdout (status line to stderr), streaming as it arrives.
/// <c>berth call --capability CAPABILITY [PATH] …</c> sends it to whichever healthy agent declares the capability (the server
/// picks and fails over) and names the agent that served on stderr.
/// </summary>
internal static class CallCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string?>("name") { Description = "The agent's name (omit it with --capability)", Arity = ArgumentArity.ZeroOrOne };
        var path = new Argument<string>("path") { Description = "Path on the agent, with any query string", DefaultValueFactory = _ => "/" };
        var method = new Option<string?>("--request", "-X") { Description = "HTTP method (default GET, or POST with --data)", HelpName = "METHOD" };
        var data = new Option<string?>("--data", "-d") { Description = "Request body: text, @FILE, or @- for stdin", HelpName = "BODY" };
        var headers = new Option<string[]>("--header", "-H") { Description = "Extra header 'Name: value' (repeatable)", HelpName = "HEADER", AllowMultipleArgumentsPerToken = false };
        var capability = new Option<string?>("--capability", "-c") { Description = "Call whichever healthy agent declares this capability instead of a named agent", HelpName = "CAPABILITY" };
        var command = new Command("call", "Send a request to an agent (or a capability's provider) through Berth's proxy and print the answer")
        {
            name, path, method, data, headers, capability,
        };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var (agent, wanted, target) = Target(session, name, path, capability);
            var body = await ReadBodyAsync(session, session.ParseResult.GetValue(data), cancellationToken);
            var verb = session.ParseResult.GetValue(method) ?? (body is null ? "GET" : "POST");
            using var request = new HttpRequestMessage(new HttpMethod(verb.ToUpperInvariant()), new Uri(target, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(LooksLikeJson(body) ? "application/json" : "text/plain") { CharSet = "utf-8" };
            }

            foreach (var header in session.ParseResult.GetValue(headers) ?? [])
            {
                AddHeader(request, header);
            }

            using var client = session.CreateClient();
            using var response = wanted is null
                ? await client.CallAgentAsync(agent!, request, cancellationToken)
                : await client.CallCapabilityAsync(wanted, request, cancellationToken);
            session.Console.MarkupLineInterpolated($"[grey]{(int)response.StatusCode} {response.ReasonPhrase}[/]");
            if (wanted is not null && response.Headers.TryGetValues("Berth-Provider", out var served))
            {
                session.Console.MarkupLineInterpolated($"[grey]served by {string.Join(", ", served)}[/]");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[4096];
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await session.Out.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await session.Out.FlushAsync(cancellationToken);
            }

            return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    // Exactly one of NAME and --capability; with --capability the one positional argument is the path.
    private static (string? Agent, string? Capability, string Path) Target(
        CliSession session, Argument<string?> name, Argument<string> path, Option<string?> capability)
    {
        var result = session.ParseResult;
        var agent = result.GetValue(name);
        var wanted = result.GetValue(capability);
        var pathGiven = result.GetResult(path) is { Implicit: false };
        if (wanted is null)
        {
            return agent is null
                ? throw new CliException("give the agent's name (berth call NAME PATH) or a capability (berth call --capability NAME PATH)", ExitCodes.Usage)
                : (agent, null, result.GetRequiredValue(path));
        }

        if (agent is not null && pathGiven)
        {
            throw new CliException($"give either an agent's name or --capability, not both ('{agent}' and --capability {wanted})", ExitCodes.Usage);
        }

        return (null, wanted, agent ?? "/");
    }

    internal static async Task<string?> ReadBodyAsync(CliSession session, string? data, CancellationToken cancellationToken)
    {
        if (data is null || !data.StartsWith('@'))
        {
            return data;
        }

        if (data == "@-")
        {
            return await session.Context.In.ReadToEndAsync(cancellationToken);
        }

        var file = Path.GetFullPath(data[1..], session.Context.CurrentDirectory);
        return File.Exists(file)
            ? await File.ReadAllTextAsync(file, cancellationToken)
            : throw new CliException($"--data {data}: no such file {file}", ExitCodes.Usage);
    }

    private static void AddHeader(HttpRequestMessage request, string header)
    {
        var colon = header.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new CliException($"--header must look like 'Name: value', got '{header}'", ExitCodes.Usage);
        }

        var headerName = header[..colon].Trim();
        var value = header[(colon + 1)..].Trim();
        if (!request.Headers.TryAddWithoutValidation(headerName, value))
        {
            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.Remove(headerName);
            request.Content.Headers.TryAddWithoutValidation(headerName, value);
        }
    }

    internal static bool LooksLikeJson(string body) => body.TrimStart() is ['{' or '[', ..];
}
