using System.Globalization;
using Berth.Client.Contracts;
using Berth.Core.Security;

namespace Berth.Client;

/// <summary>The <c>/api/v1/audit</c> route: read-only; the API offers no way to change or delete a record.</summary>
public sealed partial class BerthClient
{
    private const string AuditPath = "api/v1/audit";

    /// <summary>
    /// Audit records, newest first (admin only). <paramref name="since"/> is a duration like <c>1h</c> or an ISO 8601 time;
    /// <paramref name="principal"/> is exact, like <c>token:1a2b3c4d5e6f</c> or <c>anonymous</c>; <paramref name="limit"/>
    /// is 1 to 1000 (server default 100); <paramref name="beforeId"/> pages to older records.
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAuditAsync(
        string? since = null, string? principal = null, int? limit = null, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(since))
        {
            query.Add($"since={Escape(since)}");
        }

        if (!string.IsNullOrWhiteSpace(principal))
        {
            query.Add($"principal={Escape(principal)}");
        }

        if (limit is { } count)
        {
            query.Add($"limit={count.ToString(CultureInfo.InvariantCulture)}");
        }

        if (beforeId is { } before)
        {
            query.Add($"before={before.ToString(CultureInfo.InvariantCulture)}");
        }

        var path = query.Count == 0 ? AuditPath : $"{AuditPath}?{string.Join('&', query)}";
        return await SendAsync<List<AuditRecord>>(HttpMethod.Get, path, null, cancellationToken);
    }
}
