using Berth.Messaging.RabbitMq;
using Berth.Storage.Sqlite;
using Berth.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Messaging.Tests.RabbitMq;

/// <summary>
/// Brokers on the test RabbitMQ server and one real SQLite file (migrated as a server's store is at start) for their
/// bookkeeping. On dispose every topic and subscription a broker was declared is removed from RabbitMQ (queues, delay
/// queues and exchanges), the brokers are closed and the file is deleted.
/// </summary>
internal sealed class RabbitMqHarness : IAsyncDisposable
{
    private readonly List<RabbitMqMessageBroker> _brokers = [];
    private readonly List<RabbitMqMessageBroker> _onTestServer = [];
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly string _directory;
    private readonly SqliteDatabase _connections;

    private RabbitMqHarness(string directory, TimeSpan operationTimeout)
    {
        _directory = directory;
        OperationTimeout = operationTimeout;
        _connections = new SqliteDatabase(Path.Combine(directory, "data", "berth.db"));
    }

    public TimeSpan OperationTimeout { get; }

    public static async Task<RabbitMqHarness> CreateAsync(TimeSpan? operationTimeout = null)
    {
        var harness = new RabbitMqHarness(
            Path.Combine(Path.GetTempPath(), "berth-rabbitmq-tests", Guid.NewGuid().ToString("N")), operationTimeout ?? TimeSpan.FromSeconds(10));
        await new SqliteStoreInitializer(harness._connections, TimeProvider.System, NullLogger<SqliteStoreInitializer>.Instance).InitializeAsync(TestTimeouts.Token());
        return harness;
    }

    /// <summary>A broker on the test server, or on <paramref name="url"/> (whose names are then not removed at the end).</summary>
    public RabbitMqMessageBroker OpenBroker(string? url = null, TimeSpan? retakeHeldAfter = null)
    {
        var options = new RabbitMqOptions { Url = url ?? RabbitMqServer.Url, OperationTimeout = OperationTimeout };
        options.RetakeHeldAfter = retakeHeldAfter ?? options.RetakeHeldAfter;
        var broker = new RabbitMqMessageBroker(Options.Create(options), _connections, TimeProvider.System, NullLogger<RabbitMqMessageBroker>.Instance);
        _brokers.Add(broker);
        if (url is null)
        {
            _onTestServer.Add(broker);
        }

        return broker;
    }

    /// <summary>The SQLite file's connections, for tests that look at the bookkeeping.</summary>
    public SqliteDatabase Connections => _connections;

    /// <summary>
    /// A new broker on the same RabbitMQ and bookkeeping, as a restarted server has. The old one is closed, which to RabbitMQ
    /// is what a crash is too: its connection ends and every delivery it held unacked goes back to its queue.
    /// </summary>
    public async Task<RabbitMqMessageBroker> RestartAsync(RabbitMqMessageBroker broker)
    {
        Remember(broker);
        await broker.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Quick);
        _brokers.Remove(broker);
        _onTestServer.Remove(broker);
        return OpenBroker();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var broker in _onTestServer)
        {
            Remember(broker);
        }

        if (_topics.Count + _subscriptions.Count > 0)
        {
            // A broker of its own removes them, so a test that stopped RabbitMQ or broke its brokers still cleans up.
            var cleaner = OpenBroker();
            foreach (var subscription in _subscriptions)
            {
                await cleaner.RemoveSubscriptionAsync(subscription, TestTimeouts.Token(TestTimeouts.Quick));
            }

            foreach (var topic in _topics)
            {
                await cleaner.RemoveTopicAsync(topic, TestTimeouts.Token(TestTimeouts.Quick));
            }
        }

        foreach (var broker in _brokers)
        {
            await broker.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Quick);
        }

        // Pooled connections keep the file, -wal and -shm open; drop them before deleting the directory.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Remember(RabbitMqMessageBroker broker)
    {
        _topics.UnionWith(broker.KnownTopics);
        _subscriptions.UnionWith(broker.KnownSubscriptions);
    }
}
