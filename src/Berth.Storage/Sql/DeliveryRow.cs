namespace Berth.Storage.Sql;

/// <summary>The delivery half of a <c>message_deliveries</c> row joined with its message (<see cref="BrokerMessageRow"/>).</summary>
internal sealed class DeliveryRow
{
    public const string Columns =
        "d.subscription AS Subscription, d.state AS State, d.delivery_count AS DeliveryCount, d.on_expiry AS OnExpiry";

    public string Subscription { get; init; } = "";

    public string State { get; init; } = "";

    public int DeliveryCount { get; init; }

    public string? OnExpiry { get; init; }

    /// <summary>A lease that was the last delivery allowed (the query only returns leases that have ended).</summary>
    public bool DiesOnExpiry => State == "leased" && OnExpiry == "dead";
}
