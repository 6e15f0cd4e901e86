namespace Berth.Storage;

/// <summary>A stored row cannot be read back, which means the database was edited by hand or by an incompatible tool.</summary>
public sealed class StoredDataException : Exception
{
    public StoredDataException()
    {
    }

    public StoredDataException(string message)
        : base(message)
    {
    }

    public StoredDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The agent whose row is unreadable, when known.</summary>
    public string? AgentName { get; init; }

    internal static StoredDataException ForRow(string table, string rowKey, string agentName, string problem, Exception? inner = null)
    {
        var message = $"Stored data of agent '{agentName}' cannot be read: row '{rowKey}' of table '{table}' is invalid: {problem}. " +
            "The database was probably edited by hand; fix or delete that row, or apply the agent again.";
        return inner is null
            ? new StoredDataException(message) { AgentName = agentName }
            : new StoredDataException(message, inner) { AgentName = agentName };
    }
}
