using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth call NAME [PATH] [-X METHOD] [-d BODY|@FILE|@-] [-H 'Name: value']</c>: sends one request to an agent
/// through Berth's proxy and prints the answer's body to stdout (status line to stderr), streaming as it arrives.
/// </summary>
internal static class CallCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The agent's name" };
        var path = new Argument<string>("path") { Description = "Path on the agent, with any query string", DefaultValueFactory = _ => "/" };
        var method = new Option<string?>("--request", "-X") { Description = "HTTP method (default GET, or POST with --data)", HelpName = "METHOD" };
        var data = new Option<string?>("--data", "-d") { Description = "Request body: text, @FILE, or @- for stdin", HelpName = "BODY" };
        var headers = new Option<string[]>("--header", "-H") { Description = "Extra header 'Name: value' (repeatable)", HelpName = "HEADER", AllowMultipleArgumentsPerToken = false };
        var command = new Command("call", "Send a request to an agent through Berth's proxy and print the answer") { name, path, method, data, headers };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var body = await ReadBodyAsync(session, session.ParseResult.GetValue(data), cancellationToken);
            var verb = session.ParseResult.GetValue(method) ?? (body is null ? "GET" : "POST");
            using var request = new HttpRequestMessage(new HttpMethod(verb.ToUpperInvariant()), new Uri(session.ParseResult.GetRequiredValue(path), UriKind.Relative));
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
            using var response = await client.CallAgentAsync(session.ParseResult.GetRequiredValue(name), request, cancellationToken);
            session.Console.MarkupLineInterpolated($"[grey]{(int)response.StatusCode} {response.ReasonPhrase}[/]");
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

    private static async Task<string?> ReadBodyAsync(CliSession session, string? data, CancellationToken cancellationToken)
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

    private static bool LooksLikeJson(string body) => body.TrimStart() is ['{' or '[', ..];
}
