using Berth.Core.Specs;

namespace Berth.Cli.Commands;

/// <summary>Checks a <c>--since</c> value before it is sent, so a typo is a usage error rather than a server round trip.</summary>
internal static class SinceOption
{
    public static string? Check(string? since) =>
        string.IsNullOrWhiteSpace(since) || Since.IsValid(since)
            ? since
            : throw new CliException($"--since must be {Since.Hint}, got '{since}'", ExitCodes.Usage);
}
