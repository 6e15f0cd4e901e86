using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Llm;
using Berth.Core.Storage;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Llm;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Server.Tests.Llm.LlmGatewayAccessTests;

namespace Berth.Server.Tests.Llm;

/// <summary>Fail-closed metering: when a call cannot be recorded, it is refused and never reaches the provider.</summary>
public sealed class LlmGatewayRecordingTests
{
    [Fact]
    public async Task Call_LedgerRefusesTheRecord_Refused503AndNothingSent()
    {
        await using var provider = await FakeModelProvider.StartAsync(TestTimeouts.Token());
        await using var server = await TestServer.StartAsync(services: s => s.AddSingleton<ILlmCallStore, UnwritableLedger>());
        using (var applied = await server.Http.PutAsync("/api/v1/model-endpoints/metered", new StringContent($$"""
            apiVersion: berth/v1
            kind: ModelEndpoint
            metadata: { name: metered }
            spec:
              baseUrl: {{provider.OpenAIBaseUrl}}
              models: [gpt-4o-mini]
            """, Encoding.UTF8, "application/yaml"), TestTimeouts.Token()))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        }

        using var response = await server.Http.PostAsync("/llm/metered/v1/chat/completions", Chat("gpt-4o-mini", "unmetered?"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("never lets a call through unmetered");
        provider.Calls.ShouldBeEmpty();
    }

    private sealed class UnwritableLedger : ILlmCallStore
    {
        public Task<BudgetRefusal?> RecordStartAsync(LlmCallStart started, CancellationToken cancellationToken) => throw new IOException("disk I/O error (the test's ledger)");

        public Task RecordEndAsync(LlmCallEnd ended, CancellationToken cancellationToken) => throw new IOException("disk I/O error (the test's ledger)");

        public Task<int> MarkLostAsync(DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken) => throw new IOException("disk I/O error (the test's ledger)");

        public Task<IReadOnlyList<UsageGroup>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<UsageGroup>>([]);
    }
}
