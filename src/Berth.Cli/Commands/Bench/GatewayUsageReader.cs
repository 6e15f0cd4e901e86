using System.Globalization;
using Berth.Client;
using Berth.Client.Errors;

namespace Berth.Cli.Commands.Bench;

/// <summary>
/// Reads what the agent's LLM calls through the gateway used since the bench started (<c>GET /api/v1/usage?agent=&amp;since=</c>).
/// The server settles a call just after its caller has the whole answer, so the last calls of a run can still be in flight when
/// the load ends: the report is read again a few times, briefly, until none is.
/// </summary>
internal static class GatewayUsageReader
{
    private const int SettleReads = 5;

    private static readonly TimeSpan SettleInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The agent's gateway usage since <paramref name="since"/>; null when it made no call, or when the token may not read usage
    /// (403) or the server has no usage route (404): the report then simply has no gateway line.
    /// </summary>
    public static async Task<GatewayUsage?> ReadAsync(BerthClient client, string agent, DateTimeOffset since, TimeProvider time, CancellationToken cancellationToken)
    {
        var usage = await ReadOnceAsync(client, agent, since, cancellationToken);
        for (var read = 0; usage is { InFlight: > 0 } && read < SettleReads; read++)
        {
            await Task.Delay(SettleInterval, time, cancellationToken);
            usage = await ReadOnceAsync(client, agent, since, cancellationToken);
        }

        return usage;
    }

    private static async Task<GatewayUsage?> ReadOnceAsync(BerthClient client, string agent, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            var report = await client.GetUsageAsync(since: since.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), agent: agent, cancellationToken: cancellationToken);
            return GatewayUsage.Of(report.Total);
        }
        catch (BerthApiException exception) when (exception.IsForbidden || exception.IsNotFound)
        {
            return null;
        }
    }
}
