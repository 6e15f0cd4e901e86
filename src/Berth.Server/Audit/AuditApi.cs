using System.Globalization;
using Berth.Client.Contracts;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Audit;

/// <summary>
/// <c>GET /api/v1/audit</c> (admin only): the audit log, newest first. There is deliberately no route that changes
/// or deletes a record.
/// </summary>
internal static class AuditApi
{
    // Records a request queued a moment ago should be in the answer; a stuck store must not hang the read, though.
    private static readonly TimeSpan FlushWait = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(BerthPolicies.Admin);
        audit.MapGet("/", ListAsync).WithName("ListAudit");
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditRecord>>, ProblemHttpResult>> ListAsync(
        string? since, string? principal, string? limit, string? before, AuditLog log, IAuditStore store, TimeProvider time, CancellationToken ct)
    {
        if (Parse(since, principal, limit, before, time.GetUtcNow(), out var query) is { } invalid)
        {
            return Problems.Problems.BadRequest(invalid);
        }

        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            wait.CancelAfter(FlushWait);
            try
            {
                await log.FlushAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Answer with what is stored; the writer logs why it is behind.
            }
        }

        var records = await store.ListAsync(query, ct);
        return TypedResults.Ok(records);
    }

    private static string? Parse(string? since, string? principal, string? limit, string? before, DateTimeOffset now, out AuditQuery query)
    {
        query = new AuditQuery { Principal = string.IsNullOrWhiteSpace(principal) ? null : principal.Trim() };
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!Since.TryParse(since, now, out var at))
            {
                return $"since must be {Since.Hint}; got '{since}'.";
            }

            query = query with { Since = at };
        }

        if (!string.IsNullOrWhiteSpace(limit))
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > AuditQuery.MaxLimit)
            {
                return $"limit must be a whole number from 1 to {AuditQuery.MaxLimit}; got '{limit}'.";
            }

            query = query with { Limit = count };
        }

        if (!string.IsNullOrWhiteSpace(before))
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return $"before must be the id of an audit record (a whole number above 0); got '{before}'.";
            }

            query = query with { BeforeId = id };
        }

        return null;
    }
}
