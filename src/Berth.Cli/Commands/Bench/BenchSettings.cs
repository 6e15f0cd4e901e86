namespace Berth.Cli.Commands.Bench;

/// <summary>What one <c>berth bench</c> run sends: checked on the command line before anything is sent.</summary>
internal sealed record BenchSettings
{
    public const int DefaultRequests = 100;
    public const int MaxRequests = 1_000_000;
    public const int DefaultConcurrency = 10;
    public const int MaxConcurrency = 1000;
    public const int MaxBodyBytes = 10 * 1024 * 1024;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    /// <summary>The path on the agent, with any query string; starts with '/'.</summary>
    public required string Path { get; init; }

    public required string Method { get; init; }

    /// <summary>The request body, or null for none.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The body's media type: JSON when it looks like JSON, else text.</summary>
    public string? ContentType { get; init; }

    /// <summary>How many requests to send; null when <see cref="Duration"/> bounds the run instead.</summary>
    public int? Requests { get; init; }

    /// <summary>How long to keep sending; null when <see cref="Requests"/> bounds the run.</summary>
    public TimeSpan? Duration { get; init; }

    public required int Concurrency { get; init; }

    /// <summary>Restart the agent first and time the first request once it is back.</summary>
    public bool ColdStart { get; init; }
}
