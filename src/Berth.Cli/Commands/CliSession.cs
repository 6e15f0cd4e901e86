using System.CommandLine;
using Berth.Client;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>One invocation of a verb: the context, the parsed command line, and the server it talks to.</summary>
internal sealed class CliSession(CliContext context, ParseResult parseResult)
{
    private const string ServerVariable = "BERTH_URL";

    public CliContext Context { get; } = context;

    public ParseResult ParseResult { get; } = parseResult;

    public IAnsiConsole Console => Context.Console;

    public IAnsiConsole OutConsole => Context.OutConsole;

    public TextWriter Out => Context.Out;

    /// <summary>True when a prompt may be shown: a person is at a terminal and --non-interactive was not passed.</summary>
    public bool CanPrompt => Context.IsInteractive && !ParseResult.GetValue(GlobalOptions.NonInteractive);

    /// <summary>The server from --server, else $BERTH_URL, else the default address.</summary>
    public Uri ServerAddress
    {
        get
        {
            var text = ParseResult.GetValue(GlobalOptions.Server);
            var source = "--server";
            if (string.IsNullOrWhiteSpace(text))
            {
                text = Context.GetEnvironmentVariable(ServerVariable);
                source = ServerVariable;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return BerthClient.DefaultAddress;
            }

            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliException($"{source} must be an http:// or https:// URL like http://127.0.0.1:2378, got '{text}'", ExitCodes.Usage);
            }

            return address;
        }
    }

    public BerthClient CreateClient() => new(ServerAddress, Context.Time);
}
