using Berth.Core.Storage;
using Berth.Server.Health;
using Berth.Storage.Sql;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Problems;

/// <summary>
/// Answers <c>507 Insufficient Storage</c> for any request whose store write failed because the data directory's disk is
/// full, with a problem that names the directory, instead of a bare 500. The request was not stored.
/// </summary>
internal sealed class StorageFullHandler(DataDisk disk, StoreDatabase database) : IExceptionHandler
{
    public const string ProblemType = "urn:berth:problem:storage-full";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || Find(exception) is not { } full)
        {
            return false;
        }

        disk.ReportFull(full);
        httpContext.Response.Headers.RetryAfter = "60";
        await Problems.Problem(StatusCodes.Status507InsufficientStorage, "Insufficient storage", ProblemType, disk.Describe()).ExecuteAsync(httpContext);
        return true;
    }

    // A write outside a transaction reaches here as the engine's own error.
    private StorageFullException? Find(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            switch (exception)
            {
                case StorageFullException full:
                    return full;
                case var other when database.AsFull(other) is { } full:
                    return full;
            }
        }

        return null;
    }
}
