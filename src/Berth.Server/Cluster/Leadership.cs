using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Cluster;

/// <summary>
/// Whether this server leads: several servers may share one database, and only the holder of the store's leader lease
/// reconciles agents, fires schedules and runs housekeeping; every server answers the API, proxy, MCP and dashboard and takes
/// its share of durable requests, runs and deliveries (those have leases of their own). The lease is renewed every
/// <c>Berth:Leader:RenewInterval</c> and lasts <c>Berth:Leader:LeaseDuration</c>; a leader that cannot renew steps down
/// before its lease ends, so two servers never lead at once while their clocks agree, and a dead leader's lease is taken
/// by another server within one lease duration and one renew interval. A server that stops gives the lease up at once.
/// </summary>
internal sealed partial class Leadership(
    ILeaseStore leases,
    ServerId server,
    TimeProvider time,
    IOptions<BerthOptions> options,
    ILogger<Leadership> logger) : BackgroundService
{
    /// <summary>The name of the leader lease in the store.</summary>
    public const string LeaseName = "leader";

    private readonly Lock _gate = new();
    private LeaseHolder? _held;

    /// <summary>Raised when this server starts or stops leading.</summary>
    public event Action<bool>? Changed;

    /// <summary>This server's id, the owner it writes in the lease.</summary>
    public string ServerId => server.Value;

    /// <summary>Whether this server holds the leader lease now.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _held is { } held && held.IsHeldBy(server.Value, time.GetUtcNow() + Margin);
            }
        }
    }

    /// <summary>The leader as last seen (this server or another); null before the first attempt or when nobody leads.</summary>
    public string? Leader { get; private set; }

    private BerthOptions.LeaderSettings Settings => options.Value.Leader;

    /// <summary>Time left on the lease below which a leader acts no more: a renewal that is late must not let two servers lead.</summary>
    private TimeSpan Margin => Settings.RenewInterval;

    /// <summary>Tries to take or renew the lease once; the server does this before its first reconciler pass.</summary>
    public async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var holder = await leases.TryHoldAsync(LeaseName, server.Value, now, now + Settings.LeaseDuration, cancellationToken);
        Observe(holder, now);
        return IsLeader;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        bool was;
        lock (_gate)
        {
            was = _held is not null;
            _held = null;
        }

        if (was)
        {
            // Handing over at once instead of after the lease runs out; if the store cannot be reached the lease just expires.
            try
            {
                await leases.ReleaseAsync(LeaseName, server.Value, cancellationToken);
                LogReleased(server.Value);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReleaseFailed(ex, server.Value);
            }

            Changed?.Invoke(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TryLeadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The store is unreachable: keep leading only while the lease surely holds (IsLeader checks the margin).
                LogRenewFailed(ex);
                Observe(null, time.GetUtcNow());
            }

            try
            {
                await Task.Delay(Settings.RenewInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Records what the store answered (null: nothing, the store failed) and reports a change of leader.</summary>
    private void Observe(LeaseHolder? answer, DateTimeOffset now)
    {
        bool was;
        bool leads;
        lock (_gate)
        {
            was = _held is { } before && before.IsHeldBy(server.Value, now + Margin);
            if (answer is not null)
            {
                _held = answer.IsHeldBy(server.Value, now) ? answer : null;
                Leader = answer.ExpiresAt > now ? answer.Owner : null;
            }

            leads = _held is { } after && after.IsHeldBy(server.Value, now + Margin);
        }

        if (was == leads)
        {
            return;
        }

        if (leads)
        {
            LogLeading(server.Value);
        }
        else
        {
            LogSteppedDown(server.Value, Leader ?? "nobody yet");
        }

        Changed?.Invoke(leads);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Server {ServerId} leads: it reconciles agents, fires schedules and runs housekeeping")]
    private partial void LogLeading(string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {ServerId} no longer leads; the leader is {Leader}")]
    private partial void LogSteppedDown(string serverId, string leader);

    [LoggerMessage(Level = LogLevel.Information, Message = "Server {ServerId} gave up the leader lease as it stops")]
    private partial void LogReleased(string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {ServerId} could not give up the leader lease as it stops; another server takes it once it expires")]
    private partial void LogReleaseFailed(Exception exception, string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the leader lease; this server stops leading if the store stays unreachable until the lease ends")]
    private partial void LogRenewFailed(Exception exception);
}
