using Microsoft.Extensions.Logging;

namespace Berth.Server.Audit;

/// <summary>Log messages about the audit log itself.</summary>
internal static partial class AuditLogMessages
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Error,
        Message = "Could not store {Count} audit records; they are lost. Check that the data directory is writable and has free space")]
    public static partial void StoreFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning,
        Message = "Dropped {Count} audit records because {Capacity} were already waiting to be stored; the store is too slow for the request rate")]
    public static partial void Dropped(ILogger logger, long count, int capacity);
}
