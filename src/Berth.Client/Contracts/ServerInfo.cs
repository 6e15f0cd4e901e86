namespace Berth.Client.Contracts;

/// <summary>What <c>/readyz</c> reports: whether the server can take work, and with which runtimes.</summary>
public sealed record ServerInfo
{
    /// <summary><c>ready</c> or <c>not-ready</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Berth's version.</summary>
    public required string Version { get; init; }

    /// <summary>Runtime drivers that answer, by name (<c>process</c>, <c>docker</c>).</summary>
    public required IReadOnlyList<string> Runtimes { get; init; }

    /// <summary>Store in use: <c>sqlite</c> or <c>postgres</c>.</summary>
    public required string Store { get; init; }

    /// <summary>This server's id (servers sharing a database each have their own).</summary>
    public string? Server { get; init; }

    /// <summary>The id of the server that leads (reconciles and schedules) among those sharing the database; null while none does.</summary>
    public string? Leader { get; init; }

    /// <summary>The server's data directory.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Why the server is not ready, one sentence each (a full disk under the data directory); empty when it is.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
