using System.Net.Http.Json;
using System.Net;
using Berth.Client.Contracts;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Audit;

/// <summary>Reads the audit log through the real API with the server's admin token.</summary>
internal static class AuditRequests
{
    public static async Task<List<AuditRecord>> ListAsync(TestServer server, string query = "")
    {
        using var response = await server.Http.GetAsync($"/api/v1/audit{query}", TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return (await response.Content.ReadFromJsonAsync<List<AuditRecord>>(BerthJson.Options, TestTimeouts.Token()))!;
    }

    /// <summary>The newest record whose action is <paramref name="action"/> and target <paramref name="target"/>; fails when there is none.</summary>
    public static async Task<AuditRecord> SingleAsync(TestServer server, string action, string? target)
    {
        var records = await ListAsync(server);
        var matching = records.Where(r => r.Action == action && r.Target == target).ToList();
        matching.Count.ShouldBe(1, $"one record of {action} {target}; the log holds:\n{string.Join("\n", records.Select(r => $"{r.Action} {r.Target} {r.Status}"))}");
        return matching[0];
    }
}
