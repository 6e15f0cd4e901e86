using Berth.Core.Storage;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Tests.Workflows;

public sealed class WorkflowStoreRegistrationTests
{
    [Theory]
    [InlineData(typeof(IWorkflowStore), typeof(SqlWorkflowStore))]
    [InlineData(typeof(IRunStore), typeof(SqlRunStore))]
    [InlineData(typeof(IArtifactStore), typeof(SqlArtifactStore))]
    public void AddSqliteStore_WorkflowService_SingletonSqliteImplementation(Type service, Type implementation)
    {
        var services = new ServiceCollection().AddSqliteStore("/tmp/berth-test/berth.db");

        var descriptor = services.Where(d => d.ServiceType == service).ShouldHaveSingleItem();

        descriptor.Lifetime.ShouldBe(ServiceLifetime.Singleton);
        descriptor.ImplementationType.ShouldBe(implementation);
    }

    [Fact]
    public async Task AddSqliteStore_ResolvedStores_WorkOnOneInitializedFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "berth-storage-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var provider = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)).AddSqliteStore(Path.Combine(directory, "berth.db")).BuildServiceProvider())
            {
                await provider.GetRequiredService<IStoreInitializer>().InitializeAsync(TestTimeouts.Token());
                var spec = WorkflowTestData.SimpleSpec(TestDatabase.NewName());

                var (workflow, _) = await provider.GetRequiredService<IWorkflowStore>().ApplyAsync(spec, TestTimeouts.Token());
                var artifact = await provider.GetRequiredService<IArtifactStore>().PutAsync("x"u8.ToArray(), TestTimeouts.Token());
                var runs = provider.GetRequiredService<IRunStore>();
                var run = WorkflowTestData.Run(workflow.Spec, workflow.CreatedAt);
                await runs.CreateAsync(run, WorkflowTestData.PendingSteps(run), WorkflowTestData.Event(run, run.CreatedAt), TestTimeouts.Token());

                (await runs.ListAsync(spec.Name, null, 5, TestTimeouts.Token())).ShouldHaveSingleItem().Id.ShouldBe(run.Id);
                artifact.Size.ShouldBe(1);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
