using Berth.Core.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Messaging;

/// <summary>
/// Declares the topology at start and again every <see cref="Tick"/> (so agents and workflows applied by any route get their
/// mailboxes and triggers), and runs the broker's housekeeping (<see cref="IMessageBroker.SweepAsync"/>).
/// </summary>
internal sealed partial class MessagingHost(MessagingTopology topology, IMessageBroker broker, TimeProvider time, ILogger<MessagingHost> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the API answers: a consumer that reconnects first thing after a restart finds its subscription declared.
        // A broker that is down (RabbitMQ not up yet) does not stop the server: messaging answers 503 until a later tick declares.
        try
        {
            await topology.RefreshAsync(cancellationToken);
        }
        catch (MessageBrokerUnavailableException ex)
        {
            LogBrokerUnavailableAtStart(ex, broker.Name);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await topology.RefreshAsync(stoppingToken);
                await broker.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHousekeepingFailed(ex, broker.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Backend} message broker did not answer at start; the server starts anyway, messaging routes answer 503 until it does")]
    private partial void LogBrokerUnavailableAtStart(Exception exception, string backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Messaging housekeeping on the {Backend} broker failed; it runs again in a few seconds")]
    private partial void LogHousekeepingFailed(Exception exception, string backend);
}
