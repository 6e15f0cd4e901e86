using System.CommandLine;
using System.CommandLine.Parsing;
using Berth.Cli.Output;
using Berth.Core.Specs;

namespace Berth.Cli.Commands;

/// <summary>Options shared by every verb, and factories for options several verbs declare.</summary>
internal static class GlobalOptions
{
    public static Option<string?> Server { get; } = new("--server")
    {
        Description = "Berth server URL (default: $BERTH_URL, else http://127.0.0.1:2378)",
        Recursive = true,
    };

    public static Option<string?> CaCertificate { get; } = new("--ca-cert")
    {
        Description = "PEM or DER file of the CA that issued the server's TLS certificate; only that CA is trusted (default: $BERTH_CA_CERT, else the system's CAs)",
        HelpName = "file",
        Recursive = true,
    };

    public static Option<string?> Token { get; } = new("--token")
    {
        Description = "Bearer token to send (default: $BERTH_TOKEN, else the one saved by 'berth login', else admin.token in $BERTH_DATA_DIR or ~/.berth for a server on this host)",
        HelpName = "token",
        Recursive = true,
    };

    public static Option<bool> NonInteractive { get; } = new("--non-interactive")
    {
        Description = "Never prompt; a needed confirmation becomes an error naming the flag to pass",
        Recursive = true,
    };

    public static Option<OutputFormat> CreateOutput()
    {
        var option = new Option<OutputFormat>("--output", "-o")
        {
            Description = "Output format: table, json or yaml",
            DefaultValueFactory = _ => OutputFormat.Table,
        };

        // Completions offer the names as they are written on the command line, not the enum's (Json).
        option.CompletionSources.Clear();
        option.CompletionSources.Add("table", "json", "yaml");
        return option;
    }

    public static Option<TimeSpan> CreateDuration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = $"{description} (default {Duration.Format(defaultValue)})",
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = ParseDuration,
    };

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Duration.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; write it like 30s, 2m or 1h30m");
        return TimeSpan.Zero;
    }
}
