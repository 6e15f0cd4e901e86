using System.Text;
using Berth.Core.Security;
using Berth.Server.Audit;
using Berth.Server.Secrets;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Server.Tests.Audit;

public sealed class AuditWriterTests : IDisposable
{
    private readonly AuditLog _log = new();
    private readonly MemoryAuditStore _store = new();
    private readonly SecretRedactor _redactor = new();
    private readonly AuditWriter _writer;

    public AuditWriterTests() => _writer = new AuditWriter(_log, _store, _redactor, TimeProvider.System, NullLogger<AuditWriter>.Instance);

    public void Dispose() => _writer.Dispose();

    private static AuditRecord Record(string target) => new()
    {
        Time = DateTimeOffset.UnixEpoch,
        Principal = "anonymous",
        Action = "DELETE /api/v1/agents/{name}",
        Target = target,
        Status = 404,
        Outcome = AuditOutcomes.Failed,
    };

    [Fact]
    public async Task FlushAsync_AfterWrites_CompletesOnceAllAreStoredInOrder()
    {
        await _writer.StartAsync(TestTimeouts.Token());

        for (var i = 0; i < 1200; i++)
        {
            _log.Write(Record($"name=a{i}"));
        }

        await _log.FlushAsync(TestTimeouts.Token());

        _store.Records.Select(r => r.Target).ShouldBe(Enumerable.Range(0, 1200).Select(i => $"name=a{i}"));
        await _writer.StopAsync(TestTimeouts.Token());
    }

    [Fact]
    public async Task StopAsync_RecordsStillQueued_StoredBeforeItReturns_LaterOnesDropped()
    {
        _log.Write(Record("name=one"));
        _log.Write(Record("name=two"));

        await _writer.StopAsync(TestTimeouts.Token());
        _log.Write(Record("name=late"));
        await _log.FlushAsync(TestTimeouts.Token()).WaitAsync(TestTimeouts.Quick);

        _store.Records.Select(r => r.Target).ShouldBe(["name=one", "name=two"]);
        _log.TakeDropped().ShouldBe(1);
    }

    [Fact]
    public async Task Store_FailsOnce_WriterKeepsGoing()
    {
        _store.FailuresToCome = 1;
        await _writer.StartAsync(TestTimeouts.Token());

        _log.Write(Record("name=lost"));
        await _log.FlushAsync(TestTimeouts.Token());
        _log.Write(Record("name=kept"));
        await _log.FlushAsync(TestTimeouts.Token());

        _store.Records.ShouldHaveSingleItem().Target.ShouldBe("name=kept");
        await _writer.StopAsync(TestTimeouts.Token());
    }

    [Fact]
    public async Task Write_TargetHoldsASecretValue_StoredRedacted()
    {
        _redactor.Remember("api-key", Encoding.UTF8.GetBytes("sk-live-123456"));
        await _writer.StartAsync(TestTimeouts.Token());

        _log.Write(Record("name=sk-live-123456") with { Action = "DELETE /api/v1/agents/sk-live-123456" });
        await _log.FlushAsync(TestTimeouts.Token());

        var stored = _store.Records.ShouldHaveSingleItem();
        stored.Target.ShouldBe("name=[redacted:api-key]");
        stored.Action.ShouldBe("DELETE /api/v1/agents/[redacted:api-key]");
        await _writer.StopAsync(TestTimeouts.Token());
    }

    [Fact]
    public void Write_QueueFull_DropsAndCounts()
    {
        for (var i = 0; i < AuditLog.Capacity + 5; i++)
        {
            _log.Write(Record("name=x"));
        }

        _log.TakeDropped().ShouldBe(5);
        _log.TakeDropped().ShouldBe(0);
    }
}
