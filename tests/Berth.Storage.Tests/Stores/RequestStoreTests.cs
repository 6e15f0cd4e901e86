using System.Text;
using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The request store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class RequestStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlRequestStore _requests = null!;
    private IRequestWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        (_requests, _writer) = CreateStore(_database.Database);
    }

    public async Task DisposeAsync()
    {
        if (_writer is IAsyncDisposable writer)
        {
            await writer.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>The request store over <paramref name="database"/> with that engine's writer, as the store's registration builds it.</summary>
    internal static (SqlRequestStore Store, IRequestWriter Writer) CreateStore(StoreDatabase database, IPayloadProtector? protector = null)
    {
        IRequestWriter writer = database switch
        {
            SqliteDatabase sqlite => new SqliteRequestWriter(sqlite, protector),
            PostgresDatabase postgres => new PostgresRequestWriter(postgres, protector),
            _ => throw new InvalidOperationException($"no request writer for {database.GetType().Name}"),
        };
        return (new SqlRequestStore(database, writer, protector), writer);
    }

    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    internal static ProxiedRequest NewRequestAt(DateTimeOffset now, string agent = "echo", RequestState state = RequestState.Accepted, string? key = null, string body = "{\"q\":1}", string caller = "token:0123456789ab") => new()
    {
        Id = Guid.CreateVersion7().ToString("N"),
        AgentName = agent,
        State = state,
        Method = "POST",
        Target = "/ask?lang=en",
        Message = new StoredMessage { Headers = [new("Content-Type", "application/json"), new("X-Two", "a"), new("X-Two", "b")], Body = Encoding.UTF8.GetBytes(body) },
        BodyLength = body.Length,
        IdempotencyKey = key,
        IdempotencyScope = key is null ? null : caller,
        Fingerprint = "f00d",
        Caller = caller,
        MaxAttempts = 5,
        AcceptedAt = now,
        UpdatedAt = now,
    };

    private ProxiedRequest NewRequest(string agent = "echo", RequestState state = RequestState.Accepted, string? key = null, string body = "{\"q\":1}", string caller = "token:0123456789ab") =>
        NewRequestAt(Now, agent, state, key, body, caller);

    [Fact]
    public async Task SaveAsync_ThenGet_ReadsEveryFieldAndThePayloadBack()
    {
        var request = NewRequest(key: "k-1");

        await _requests.SaveAsync([request], TestTimeouts.Token());
        var read = await _requests.GetAsync(request.Id, TestTimeouts.Token());

        read.ShouldNotBeNull();
        read.Sequence.ShouldBeGreaterThan(0);
        (read with { Message = null }).ShouldBe(request with { Sequence = read.Sequence, Message = null });
        Encoding.UTF8.GetString(read.Message!.Body).ShouldBe("{\"q\":1}");
        read.Message.Headers.ShouldBe(request.Message!.Headers);
    }

    [Fact]
    public async Task SaveAsync_Completion_StoresTheResponse_KeepsWhatWasAccepted()
    {
        var request = NewRequest();
        await _requests.SaveAsync([request], TestTimeouts.Token());
        var response = new StoredResponse
        {
            Status = 201,
            Message = new StoredMessage { Headers = [new("Content-Type", "text/plain")], Body = "done"u8.ToArray() },
            Truncated = true,
            Length = 9000,
        };

        await _requests.SaveAsync([request with { State = RequestState.Completed, Attempts = 1, FinishedAt = Now, Response = response, Method = "IGNORED" }], TestTimeouts.Token());

        var read = (await _requests.GetAsync(request.Id, TestTimeouts.Token()))!;
        read.State.ShouldBe(RequestState.Completed);
        read.Method.ShouldBe("POST");
        read.Response.ShouldNotBeNull();
        read.Response.Status.ShouldBe(201);
        read.Response.Truncated.ShouldBeTrue();
        read.Response.Length.ShouldBe(9000);
        read.Response.Message.Body.ShouldBe("done"u8.ToArray());
    }

    [Fact]
    public async Task SaveAsync_WithoutMessage_UpdatesTheStateAndKeepsThePayload_AnUnknownIdFails()
    {
        var request = NewRequest();
        await _requests.SaveAsync([request], TestTimeouts.Token());

        await _requests.SaveAsync([request with { Message = null, State = RequestState.Retrying, Attempts = 1 }], TestTimeouts.Token());

        var read = (await _requests.GetAsync(request.Id, TestTimeouts.Token()))!;
        read.State.ShouldBe(RequestState.Retrying);
        read.Attempts.ShouldBe(1);
        read.Message!.Body.ShouldBe(request.Message!.Body);
        await Should.ThrowAsync<ArgumentException>(() => _requests.SaveAsync([NewRequest() with { Message = null }], TestTimeouts.Token()));
    }

    [Fact]
    public async Task FindByKeyAsync_IsPerAgent()
    {
        await _requests.SaveAsync([NewRequest("a", key: "same"), NewRequest("b", key: "same")], TestTimeouts.Token());

        (await _requests.FindByKeyAsync("a", "token:0123456789ab", "same", TestTimeouts.Token()))!.AgentName.ShouldBe("a");
        (await _requests.FindByKeyAsync("c", "token:0123456789ab", "same", TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task FindByKeyAsync_IsPerCaller_TheSameKeyFromTwoCallersIsTwoRequests()
    {
        var operatorRequest = NewRequest("a", key: "same", body: "operator", caller: "token:aaaaaaaaaaaa");
        var agentRequest = NewRequest("a", key: "same", body: "agent", caller: "agent:caller");

        await _requests.SaveAsync([operatorRequest, agentRequest], TestTimeouts.Token());

        (await _requests.FindByKeyAsync("a", "token:aaaaaaaaaaaa", "same", TestTimeouts.Token()))!.Id.ShouldBe(operatorRequest.Id);
        (await _requests.FindByKeyAsync("a", "agent:caller", "same", TestTimeouts.Token()))!.Id.ShouldBe(agentRequest.Id);
        (await _requests.FindByKeyAsync("a", "token:bbbbbbbbbbbb", "same", TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task SaveAsync_KeyReusedForTheSameAgent_FailsTheWholeBatchNamingTheRequestAndKey()
    {
        var first = NewRequest(key: "once");
        await _requests.SaveAsync([first], TestTimeouts.Token());
        var other = NewRequest();
        var reuse = NewRequest(key: "once");

        var taken = await Should.ThrowAsync<IdempotencyKeyTakenException>(() => _requests.SaveAsync([other, reuse], TestTimeouts.Token()));

        (taken.RequestId, taken.AgentName, taken.Scope, taken.Key).ShouldBe((reuse.Id, "echo", "token:0123456789ab", "once"));
        (await _requests.GetAsync(other.Id, TestTimeouts.Token())).ShouldBeNull("nothing of a failed batch is kept");
        (await _requests.GetAsync(reuse.Id, TestTimeouts.Token())).ShouldBeNull();
        (await _requests.FindByKeyAsync("echo", "token:0123456789ab", "once", TestTimeouts.Token()))!.Id.ShouldBe(first.Id);
    }

    [Fact]
    public async Task SaveAsync_TwoRequestsOfABatchWithOneKey_NamesTheSecondAndKeepsNothing()
    {
        var earlier = NewRequest(key: "held-elsewhere");
        await _requests.SaveAsync([earlier], TestTimeouts.Token());
        var first = NewRequest(key: "twice");
        var second = NewRequest(key: "twice");
        var other = NewRequest(key: "free");

        var taken = await Should.ThrowAsync<IdempotencyKeyTakenException>(() => _requests.SaveAsync([other, first, second], TestTimeouts.Token()));

        taken.RequestId.ShouldBe(second.Id);
        (await _requests.FindByKeyAsync("echo", "token:0123456789ab", "twice", TestTimeouts.Token())).ShouldBeNull();
        (await _requests.FindByKeyAsync("echo", "token:0123456789ab", "free", TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task SaveAsync_UpdateOfAnUnknownIdInABatch_KeepsNothingOfTheBatch()
    {
        var fresh = NewRequest();

        await Should.ThrowAsync<ArgumentException>(() => _requests.SaveAsync([fresh, NewRequest() with { Message = null }], TestTimeouts.Token()));

        (await _requests.GetAsync(fresh.Id, TestTimeouts.Token())).ShouldBeNull();
        await _requests.SaveAsync([fresh], TestTimeouts.Token());
        (await _requests.GetAsync(fresh.Id, TestTimeouts.Token())).ShouldNotBeNull("the store writes again after a failed batch");
    }

    [Fact]
    public async Task SaveAsync_WithAProtector_StoresOnlyProtectedPayloadsAndReadsThemBack()
    {
        var (store, writer) = CreateStore(_database.Database, new ReversingProtector());
        try
        {
            var request = NewRequest(body: "secret-body") with
            {
                State = RequestState.Completed,
                Response = new StoredResponse { Status = 200, Message = new StoredMessage { Body = "secret-answer"u8.ToArray() } },
            };

            await store.SaveAsync([request], TestTimeouts.Token());

            var read = (await store.GetAsync(request.Id, TestTimeouts.Token()))!;
            Encoding.UTF8.GetString(read.Message!.Body).ShouldBe("secret-body");
            Encoding.UTF8.GetString(read.Response!.Message.Body).ShouldBe("secret-answer");
            await Should.ThrowAsync<StoredDataException>(() => _requests.GetAsync(request.Id, TestTimeouts.Token()));
        }
        finally
        {
            if (writer is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SaveAsync_ManyBatchesAfterAFailedOne_EachCommitsWithItsOwnValues()
    {
        await _requests.SaveAsync([NewRequest(key: "taken")], TestTimeouts.Token());
        await Should.ThrowAsync<IdempotencyKeyTakenException>(() => _requests.SaveAsync([NewRequest(key: "taken")], TestTimeouts.Token()));
        var first = NewRequest(body: "one", key: "k1");
        var second = NewRequest(body: "two");

        await _requests.SaveAsync([first, second], TestTimeouts.Token());
        await _requests.SaveAsync([second with { Message = null, State = RequestState.Retrying, Attempts = 2, LastError = "refused" }], TestTimeouts.Token());

        var one = (await _requests.GetAsync(first.Id, TestTimeouts.Token()))!;
        one.Message!.Body.ShouldBe(Encoding.UTF8.GetBytes("one"));
        one.IdempotencyKey.ShouldBe("k1");
        var two = (await _requests.GetAsync(second.Id, TestTimeouts.Token()))!;
        two.Message!.Body.ShouldBe(Encoding.UTF8.GetBytes("two"), "an update keeps the payload");
        two.IdempotencyKey.ShouldBeNull("a value bound for the row before is not carried into the next");
        (two.State, two.Attempts, two.LastError).ShouldBe((RequestState.Retrying, 2, "refused"));
    }

    [Fact]
    public async Task ClaimDueAsync_TakesDueRequestsInArrivalOrder_LeasesThemAndCountsTheAttempt()
    {
        var first = NewRequest();
        var notDue = NewRequest(state: RequestState.Retrying) with { NextAttemptAt = Now.AddMinutes(1) };
        var due = NewRequest(state: RequestState.Retrying) with { NextAttemptAt = Now.AddSeconds(-1), Attempts = 2 };
        var leased = NewRequest(state: RequestState.Dispatched) with { LeaseOwner = "other", LeaseExpiresAt = Now.AddMinutes(1) };
        var expired = NewRequest(state: RequestState.Dispatched) with { LeaseOwner = "dead", LeaseExpiresAt = Now.AddSeconds(-1) };
        var done = NewRequest(state: RequestState.Completed);
        var otherAgent = NewRequest("other");
        await _requests.SaveAsync([first, notDue, due, leased, expired, done, otherAgent], TestTimeouts.Token());

        var claimed = await _requests.ClaimDueAsync("echo", Now, "me", Now.AddSeconds(30), 10, TestTimeouts.Token());

        claimed.Select(r => r.Id).ShouldBe([first.Id, due.Id, expired.Id]);
        claimed.ShouldAllBe(r => r.State == RequestState.Dispatched && r.LeaseOwner == "me" && r.Message != null);
        claimed.Select(r => r.Attempts).ShouldBe([1, 3, 1]);
        (await _requests.ClaimDueAsync("echo", Now, "me", Now.AddSeconds(30), 10, TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task ClaimDueAsync_RespectsTheLimit()
    {
        var requests = Enumerable.Range(0, 5).Select(_ => NewRequest()).ToList();
        await _requests.SaveAsync(requests, TestTimeouts.Token());

        var claimed = await _requests.ClaimDueAsync("echo", Now, "me", Now.AddSeconds(30), 2, TestTimeouts.Token());

        claimed.Select(r => r.Id).ShouldBe(requests.Take(2).Select(r => r.Id));
    }

    [Fact]
    public async Task ReleaseLeasesAsync_ReturnsOnlyTheOwnersRequestsToTheQueue()
    {
        var mine = NewRequest(state: RequestState.Dispatched) with { LeaseOwner = "me", LeaseExpiresAt = Now.AddMinutes(5) };
        var theirs = NewRequest(state: RequestState.Dispatched) with { LeaseOwner = "them", LeaseExpiresAt = Now.AddMinutes(5) };
        await _requests.SaveAsync([mine, theirs], TestTimeouts.Token());

        (await _requests.ReleaseLeasesAsync("me", TestTimeouts.Token())).ShouldBe(1);

        (await _requests.GetAsync(mine.Id, TestTimeouts.Token()))!.ShouldSatisfyAllConditions(
            r => r.State.ShouldBe(RequestState.Accepted), r => r.LeaseOwner.ShouldBeNull());
        (await _requests.GetAsync(theirs.Id, TestTimeouts.Token()))!.State.ShouldBe(RequestState.Dispatched);
    }

    [Fact]
    public async Task PendingAgentsAsync_NamesAgentsWithWaitingRequestsAndWhenTheFirstIsDue()
    {
        var retry = Now.AddSeconds(30);
        await _requests.SaveAsync(
            [
                NewRequest("a", RequestState.Retrying) with { NextAttemptAt = retry },
                NewRequest("b", RequestState.Completed),
                NewRequest("c", RequestState.Dispatched) with { LeaseOwner = "me", LeaseExpiresAt = Now.AddMinutes(1) },
            ],
            TestTimeouts.Token());

        var pending = await _requests.PendingAgentsAsync(Now, TestTimeouts.Token());

        pending.Keys.ShouldBe(["a"]);
        pending["a"].ShouldBe(retry);
    }

    [Fact]
    public async Task ListAsync_FiltersPagesAndOmitsPayloads()
    {
        var a1 = NewRequest("a");
        var a2 = NewRequest("a", RequestState.Completed) with { Response = new StoredResponse { Status = 200, Message = new StoredMessage { Body = "x"u8.ToArray() } } };
        var fromA = NewRequest("b") with { CallerAgent = "a" };
        var c = NewRequest("c");
        await _requests.SaveAsync([a1, a2, fromA, c], TestTimeouts.Token());

        var all = await _requests.ListAsync(new RequestQuery(), TestTimeouts.Token());
        var ofA = await _requests.ListAsync(new RequestQuery { AgentName = "a" }, TestTimeouts.Token());
        var completed = await _requests.ListAsync(new RequestQuery { State = RequestState.Completed }, TestTimeouts.Token());
        var party = await _requests.ListAsync(new RequestQuery { Party = "a" }, TestTimeouts.Token());
        var page = await _requests.ListAsync(new RequestQuery { BeforeSequence = all[1].Sequence, Limit = 1 }, TestTimeouts.Token());

        all.Select(r => r.Id).ShouldBe([c.Id, fromA.Id, a2.Id, a1.Id]);
        all.ShouldAllBe(r => r.Message == null);
        all.Single(r => r.Id == a2.Id).Response!.Status.ShouldBe(200);
        ofA.Select(r => r.Id).ShouldBe([a2.Id, a1.Id]);
        completed.Select(r => r.Id).ShouldBe([a2.Id]);
        party.Select(r => r.Id).ShouldBe([fromA.Id, a2.Id, a1.Id]);
        page.Select(r => r.Id).ShouldBe([a2.Id]);
    }

    [Fact]
    public async Task PurgeAsync_DeletesOnlyTheAgentsRequestsInTheStateFinishedBeforeTheCutoff()
    {
        var old = NewRequest(state: RequestState.Completed) with { FinishedAt = Now.AddDays(-8) };
        var recent = NewRequest(state: RequestState.Completed) with { FinishedAt = Now.AddHours(-1) };
        var dead = NewRequest(state: RequestState.DeadLettered) with { FinishedAt = Now.AddDays(-8) };
        var otherAgent = NewRequest("other", RequestState.Completed) with { FinishedAt = Now.AddDays(-8) };
        await _requests.SaveAsync([old, recent, dead, otherAgent], TestTimeouts.Token());

        (await _requests.PurgeAsync("echo", RequestState.Completed, Now.AddDays(-7), TestTimeouts.Token())).ShouldBe(1);
        (await _requests.GetAsync(old.Id, TestTimeouts.Token())).ShouldBeNull();
        (await _requests.GetAsync(recent.Id, TestTimeouts.Token())).ShouldNotBeNull();
        (await _requests.PurgeAsync("echo", null, null, TestTimeouts.Token())).ShouldBe(2);
        (await _requests.GetAsync(otherAgent.Id, TestTimeouts.Token())).ShouldNotBeNull();
    }

    [Fact]
    public async Task CountOpenAsync_CountsWaitingInDeliveryAndDeadLetteredPerAgentButNotCompleted()
    {
        await _requests.SaveAsync(
            [
                NewRequest("a"),
                NewRequest("a"),
                NewRequest("a", RequestState.Retrying) with { NextAttemptAt = Now.AddMinutes(1) },
                NewRequest("a", RequestState.DeadLettered) with { FinishedAt = Now },
                NewRequest("a", RequestState.Completed) with { FinishedAt = Now },
                NewRequest("b", RequestState.Dispatched) with { LeaseOwner = "me", LeaseExpiresAt = Now.AddMinutes(1) },
                NewRequest("b", RequestState.DeadLettered) with { FinishedAt = Now },
                NewRequest("b", RequestState.DeadLettered) with { FinishedAt = Now },
            ],
            TestTimeouts.Token());

        var counts = await _requests.CountOpenAsync(TestTimeouts.Token());

        counts.OrderBy(c => c.AgentName, StringComparer.Ordinal).ThenBy(c => c.State).ShouldBe(
        [
            new RequestStateCount("a", RequestState.Accepted, 2),
            new RequestStateCount("a", RequestState.Retrying, 1),
            new RequestStateCount("a", RequestState.DeadLettered, 1),
            new RequestStateCount("b", RequestState.Dispatched, 1),
            new RequestStateCount("b", RequestState.DeadLettered, 2),
        ]);
    }

    [Fact]
    public async Task DeleteAsync_ExistingThenAgain_TrueThenFalse()
    {
        var request = NewRequest(state: RequestState.DeadLettered);
        await _requests.SaveAsync([request], TestTimeouts.Token());

        (await _requests.DeleteAsync(request.Id, TestTimeouts.Token())).ShouldBeTrue();
        (await _requests.DeleteAsync(request.Id, TestTimeouts.Token())).ShouldBeFalse();
    }

    // Stored bytes that the plain codec cannot read, and that read back only through this protector.
    private sealed class ReversingProtector : IPayloadProtector
    {
        public byte[] Protect(string owner, byte[] payload) => [.. Encoding.UTF8.GetBytes(owner), .. payload.Reverse()];

        public byte[] Unprotect(string owner, byte[] stored)
        {
            var prefix = Encoding.UTF8.GetByteCount(owner);
            if (!stored.AsSpan(0, prefix).SequenceEqual(Encoding.UTF8.GetBytes(owner)))
            {
                throw new System.Security.Cryptography.CryptographicException("protected for another owner");
            }

            return [.. stored.Skip(prefix).Reverse()];
        }
    }
}

public sealed class SqliteRequestStoreTests() : RequestStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresRequestStoreTests() : RequestStoreTests(StoreEngine.Postgres);
