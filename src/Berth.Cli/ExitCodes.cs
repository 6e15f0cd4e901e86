namespace Berth.Cli;

/// <summary>What <c>berth</c> returns to the shell; documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Everything went as asked.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed (an agent failed, the server reported an error, a prompt was declined).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown option, missing argument, bad value, missing file, or a prompt needed in non-interactive mode.</summary>
    public const int Usage = 2;

    /// <summary>The named agent does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>The Berth server could not be reached.</summary>
    public const int Unavailable = 4;

    /// <summary>A spec is invalid (found locally or reported by the server); every error was printed.</summary>
    public const int Invalid = 5;

    /// <summary>A wait (<c>apply --wait</c>) ran out of time.</summary>
    public const int Timeout = 6;

    /// <summary>The server did not accept the token (none sent, unknown, expired or revoked).</summary>
    public const int Unauthorized = 7;

    /// <summary>The token is valid but its role may not do this.</summary>
    public const int Forbidden = 8;

    /// <summary><c>berth health</c>: the agent has no instance, or one failed its probe.</summary>
    public const int Unhealthy = 9;

    /// <summary>Interrupted by Ctrl+C or SIGTERM.</summary>
    public const int Cancelled = 130;
}
