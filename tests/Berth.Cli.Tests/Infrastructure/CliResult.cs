namespace Berth.Cli.Tests.Infrastructure;

/// <summary>What one command line returned and printed: data on <see cref="Out"/>, notes and errors on <see cref="Err"/>.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string All => Out + Err;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}
