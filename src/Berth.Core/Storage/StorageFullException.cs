namespace Berth.Core.Storage;

/// <summary>
/// The store could not write because the disk holding it is full. Nothing of the failed write was kept, and everything
/// stored before is intact; writes succeed again once space is freed.
/// </summary>
public sealed class StorageFullException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public StorageFullException()
        : this("the store's disk is full")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public StorageFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the store's own error.</summary>
    public StorageFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The directory whose disk is full (the SQLite file's directory); null when unknown.</summary>
    public string? Directory { get; init; }
}
