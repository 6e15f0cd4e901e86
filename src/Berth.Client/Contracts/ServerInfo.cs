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

    /// <summary>Store in use, for example <c>sqlite</c>.</summary>
    public required string Store { get; init; }

    /// <summary>The server's data directory.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Why the server is not ready, one sentence each (a full disk under the data directory); empty when it is.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
