using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Server.Health;
using Berth.Server.Hosting;
using Berth.Server.Requests;
using Berth.Server.Tests.Fakes;
using Berth.Server.Tests.Secrets;
using Berth.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Tests.Requests;

/// <summary>The journal's group commit against a store that can hold a commit open, so saves queue behind it.</summary>
public sealed class RequestJournalTests : IAsyncLifetime
{
    private readonly GatedRequestStore _store = new();
    private readonly LogCapture _logs = new();
    private readonly LoggerFactory _loggers = new();
    private readonly DataDisk _disk;
    private readonly RequestJournal _journal;

    public RequestJournalTests()
    {
        _loggers.AddProvider(_logs);
        _disk = new DataDisk(Options.Create(new BerthOptions { DataDir = Path.GetTempPath() }), TimeProvider.System, _loggers.CreateLogger<DataDisk>());
        _journal = new RequestJournal(_store, _disk, _loggers.CreateLogger<RequestJournal>());
    }

    public Task InitializeAsync() => _journal.StartAsync(TestTimeouts.Token());

    public async Task DisposeAsync()
    {
        _store.Release();
        await _journal.StopAsync(TestTimeouts.Token());
        _journal.Dispose();
        _loggers.Dispose();
    }

    [Fact]
    public async Task SaveAsync_HundredArriveWhileACommitRuns_NoneCompletesBeforeItsCommit_AllShareTheNextTransaction()
    {
        var first = await HoldFirstCommitAsync();
        var requests = Enumerable.Range(0, 100).Select(i => Request($"r{i}")).ToList();

        var saves = requests.Select(r => _journal.SaveAsync(r, TestTimeouts.Token())).ToList();

        saves.ShouldAllBe(s => !s.IsCompleted, "a save completes only once its record is committed, and the store holds the commit before theirs");
        _store.Release();
        await Task.WhenAll(saves.Append(first)).WaitAsync(TestTimeouts.Token());
        _store.Batches.Count.ShouldBe(2, "everything queued during one commit goes in the next transaction");
        _store.Batches[1].ShouldBe(requests.Select(r => r.Id), "in arrival order");
        requests.ShouldAllBe(r => _store.IsCommitted(r.Id));
    }

    [Fact]
    public async Task SaveAsync_DiskFullForABatch_EveryCallerOfItGetsStorageFull_TheWriterGoesOn()
    {
        var first = await HoldFirstCommitAsync();
        var saves = Enumerable.Range(0, 10).Select(i => _journal.SaveAsync(Request($"full{i}"), TestTimeouts.Token())).ToList();
        _store.FailWith = batch => batch.Any(r => r.Id.StartsWith("full", StringComparison.Ordinal)) ? new StorageFullException("the disk holding /data is full") : null;

        _store.Release();

        await first.WaitAsync(TestTimeouts.Token());
        foreach (var save in saves)
        {
            (await Should.ThrowAsync<StorageFullException>(save.WaitAsync(TestTimeouts.Token()))).Message.ShouldContain("/data is full");
        }

        _store.Batches.Count.ShouldBe(2, "a full disk is no one record's fault, so the batch is not retried record by record");
        _disk.FullSince.ShouldNotBeNull("/readyz reports the full disk");
        _store.FailWith = null;
        await _journal.SaveAsync(Request("after"), TestTimeouts.Token());
        _store.IsCommitted("after").ShouldBeTrue();
        _disk.FullSince.ShouldBeNull("a write that succeeds clears the full disk");
    }

    [Fact]
    public async Task SaveAsync_OneBadRecordInABatch_OnlyItsCallerFails()
    {
        var first = await HoldFirstCommitAsync();
        var good = Enumerable.Range(0, 5).Select(i => Request($"good{i}")).ToList();
        var saves = good.Select(r => _journal.SaveAsync(r, TestTimeouts.Token())).ToList();
        var bad = _journal.SaveAsync(Request("bad"), TestTimeouts.Token());
        _store.FailWith = batch => batch.Any(r => r.Id == "bad") ? new ArgumentException("idempotency key reused") : null;

        _store.Release();

        await Task.WhenAll(saves.Append(first)).WaitAsync(TestTimeouts.Token());
        (await Should.ThrowAsync<ArgumentException>(bad.WaitAsync(TestTimeouts.Token()))).Message.ShouldContain("idempotency key reused");
        good.ShouldAllBe(r => _store.IsCommitted(r.Id));
    }

    [Fact]
    public async Task StopAsync_WithSavesQueued_CommitsThemAllBeforeItReturns()
    {
        var first = await HoldFirstCommitAsync();
        var awaited = Enumerable.Range(0, 20).Select(i => Request($"a{i}")).ToList();
        var later = Enumerable.Range(0, 20).Select(i => Request($"l{i}")).ToList();
        var saves = awaited.Select(r => _journal.SaveAsync(r, TestTimeouts.Token())).ToList();
        later.ForEach(_journal.SaveLater);

        var stopping = _journal.StopAsync(TestTimeouts.Token());
        _store.Release();
        await stopping.WaitAsync(TestTimeouts.Token());

        await Task.WhenAll(saves.Append(first)).WaitAsync(TestTimeouts.Token());
        awaited.Concat(later).ShouldAllBe(r => _store.IsCommitted(r.Id), "stopping commits what was queued");
        await Should.ThrowAsync<InvalidOperationException>(() => _journal.SaveAsync(Request("too-late"), TestTimeouts.Token()));
    }

    [Fact]
    public async Task SaveLater_StoreFails_LogsThatTheRequestWillBeDeliveredAgain_NoCallerSeesIt()
    {
        _store.FailWith = batch => batch.Any(r => r.Id == "outcome") ? new InvalidOperationException("database is locked") : null;

        _journal.SaveLater(Request("outcome"));

        await Eventually.TrueAsync(
            _ => Task.FromResult(_logs.Entries.Any(e => e.Contains("request outcome", StringComparison.Ordinal) && e.Contains("database is locked", StringComparison.Ordinal))),
            "a warning that the outcome was not stored");
        _logs.Entries.Last(e => e.Contains("request outcome", StringComparison.Ordinal)).ShouldContain("delivered again");
        _store.FailWith = null;
        await _journal.SaveAsync(Request("next"), TestTimeouts.Token());
        _store.IsCommitted("next").ShouldBeTrue("a failed outcome does not stop the writer");
    }

    [Fact]
    public async Task FlushAsync_AfterSaveLater_CompletesOnlyOnceWhatWasQueuedBeforeItIsWritten()
    {
        var first = await HoldFirstCommitAsync();
        _journal.SaveLater(Request("outcome"));

        var flush = _journal.FlushAsync(TestTimeouts.Token());

        flush.IsCompleted.ShouldBeFalse("the outcome queued before the flush is not written yet");
        _store.Release();
        await Task.WhenAll(first, flush).WaitAsync(TestTimeouts.Token());
        _store.IsCommitted("outcome").ShouldBeTrue("a read after the flush sees the outcome");
    }

    // Queues one save and waits until the store holds its commit open; what is saved next queues behind it.
    private async Task<Task> HoldFirstCommitAsync()
    {
        _store.Hold = true;
        var first = _journal.SaveAsync(Request("first"), TestTimeouts.Token());
        await _store.Entered.WaitAsync(TestTimeouts.Token());
        return first;
    }

    private static ProxiedRequest Request(string id) => new()
    {
        Id = id,
        AgentName = "agent",
        State = RequestState.Dispatched,
        Method = "POST",
        Target = "/",
        Message = new StoredMessage { Headers = [], Body = [] },
        Fingerprint = "f",
        Caller = "token:t",
        MaxAttempts = 3,
        AcceptedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
