using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Health;

/// <summary>
/// Whether the disk holding the data directory had room at the last write: a write that failed for a full disk marks it
/// full (<c>/readyz</c> then says so), a store write that succeeded or enough free space seen by <c>/readyz</c> clears it.
/// </summary>
internal sealed partial class DataDisk(IOptions<BerthOptions> options, TimeProvider time, ILogger<DataDisk> logger)
{
    // Free space /readyz wants to see before it calls a full disk usable again: a few durable requests' worth.
    private const long ResumeBytes = 16L * 1024 * 1024;

    private readonly Lock _gate = new();
    private DateTimeOffset? _fullSince;

    /// <summary>The data directory.</summary>
    public string Directory => options.Value.DataDir;

    /// <summary>When a write last failed for a full disk, while that is still the case; null when writes succeed.</summary>
    public DateTimeOffset? FullSince
    {
        get
        {
            lock (_gate)
            {
                return _fullSince;
            }
        }
    }

    /// <summary>A sentence for the operator about the full disk.</summary>
    public string Describe() =>
        $"The disk holding the data directory ({Directory}) is full: nothing new can be stored. Requests accepted before are kept and run " +
        "once space is freed. Free space on that disk (or move the data directory to a larger one).";

    public void ReportFull(StorageFullException exception)
    {
        lock (_gate)
        {
            if (_fullSince is not null)
            {
                return;
            }

            _fullSince = time.GetUtcNow();
        }

        LogFull(Directory, exception.Message);
    }

    public void ReportWritten()
    {
        lock (_gate)
        {
            if (_fullSince is null)
            {
                return;
            }

            _fullSince = null;
        }

        LogWritable(Directory);
    }

    /// <summary>True while the disk is known to be full; looks at its free space first, so freeing space clears it without a write.</summary>
    public bool CheckFull()
    {
        if (FullSince is null)
        {
            return false;
        }

        try
        {
            if (new DriveInfo(Directory).AvailableFreeSpace >= ResumeBytes)
            {
                ReportWritten();
                return false;
            }
        }
        catch (IOException)
        {
            // Cannot tell; keep reporting what the last write said.
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The disk holding the data directory {DataDirectory} is full; new requests are refused with 507 until space is freed ({Reason})")]
    private partial void LogFull(string dataDirectory, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The disk holding the data directory {DataDirectory} has room again")]
    private partial void LogWritable(string dataDirectory);
}
