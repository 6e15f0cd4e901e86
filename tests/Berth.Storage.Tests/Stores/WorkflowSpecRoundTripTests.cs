using System.Text.Json.Nodes;
using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Storage.Sql;
using Berth.Storage.Tests.Workflows;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>A stored spec must come back as the spec that was applied: JSON nodes, durations, enums and dictionaries included.</summary>
public abstract class WorkflowSpecRoundTripTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlWorkflowStore _workflows = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _workflows = new SqlWorkflowStore(_database.Database, _database.Clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task GetAsync_FullSpec_EveryFieldComesBack()
    {
        var spec = WorkflowTestData.FullSpec(TestDatabase.NewName());
        await _workflows.ApplyAsync(spec, TestTimeouts.Token());

        var read = (await _workflows.GetAsync(spec.Name, TestTimeouts.Token()))!.Spec;

        JsonSerializer.Serialize(read, BerthJson.Options).ShouldBe(JsonSerializer.Serialize(spec, BerthJson.Options));
        read.Inputs.Keys.ShouldBe(["target", "replicas", "deploy", "regions", "labels"]);
        read.Inputs["target"].ShouldBe(spec.Inputs["target"]);
        read.Inputs["regions"].Type.ShouldBe(InputType.List);
        read.Inputs["labels"].Type.ShouldBe(InputType.Map);
        JsonNode.DeepEquals(read.Inputs["labels"].Default, spec.Inputs["labels"].Default).ShouldBeTrue();
        read.Concurrency.ShouldBe(8);
        read.Timeout.ShouldBe(TimeSpan.FromMinutes(90));
        var build = read.Steps[0];
        build.Kind.ShouldBe(StepKind.Container);
        build.Container!.Command.ShouldBe(["/bin/sh", "-c"]);
        build.Container.Env.ShouldBe(spec.Steps[0].Container!.Env);
        build.Container.Files["/src/Makefile"].ShouldBe("all:\n\techo hi\n");
        build.Retry!.Backoff.ShouldBe(BackoffKind.Linear);
        build.Retry.InitialDelay.ShouldBe(TimeSpan.FromMilliseconds(250));
        build.Retry.MaxDelay.ShouldBe(TimeSpan.FromMinutes(2));
        build.Retry.On.ShouldBe([ErrorClass.Transient, ErrorClass.CircuitOpen, ErrorClass.Resource]);
        build.Retry.Jitter.ShouldBeFalse();
        build.Timeout.ShouldBe(TimeSpan.FromSeconds(45));
        build.Cache.ShouldBe(new StepCacheSpec { Enabled = true, Ttl = TimeSpan.FromDays(2) });
        var ask = read.Steps[1];
        ask.Agent!.Method.ShouldBe("PUT");
        JsonNode.DeepEquals(ask.Agent.Body, spec.Steps[1].Agent!.Body).ShouldBeTrue();
        ask.When.ShouldBe("${{ inputs.deploy == true }}");
        ask.ContinueOnError.ShouldBeTrue();
        var child = read.Steps[2];
        child.Workflow!.Inputs.Keys.ShouldBe(["region", "none"]);
        child.Workflow.Inputs["none"].ShouldBeNull();
        child.ForEach.ShouldBe("${{ inputs.regions }}");
        read.Schedules.ShouldHaveSingleItem().Cron.ShouldBe("0 0/5 * * * ?");
        read.Schedules[0].Inputs["target"]!.GetValue<string>().ShouldBe("staging");
    }

    [Fact]
    public async Task GetAsync_StoredJson_UsesTheApiSpelling()
    {
        var spec = WorkflowTestData.FullSpec(TestDatabase.NewName());
        await _workflows.ApplyAsync(spec, TestTimeouts.Token());
        await using var connection = await _database.Database.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT spec FROM workflows WHERE name = '{spec.Name}'";

        var json = JsonNode.Parse((string)(await command.ExecuteScalarAsync(TestTimeouts.Token()))!)!;

        json["timeout"]!.GetValue<string>().ShouldBe("1h30m");
        json["inputs"]!["labels"]!["type"]!.GetValue<string>().ShouldBe("object");
        json["steps"]![0]!["retry"]!["on"]![1]!.GetValue<string>().ShouldBe("circuit-open");
        json["steps"]![0]!["retry"]!["initialDelay"]!.GetValue<string>().ShouldBe("250ms");
        json["steps"]![1]!["agent"].ShouldNotBeNull();
        json["steps"]![1]!.AsObject().ContainsKey("kind").ShouldBeFalse("a step's kind is derived from which of container, agent or workflow it sets");
    }
}

public sealed class SqliteWorkflowSpecRoundTripTests() : WorkflowSpecRoundTripTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresWorkflowSpecRoundTripTests() : WorkflowSpecRoundTripTests(StoreEngine.Postgres);
