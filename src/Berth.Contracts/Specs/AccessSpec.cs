namespace Berth.Core.Specs;

/// <summary>What an agent may reach through Berth with the token each of its instances is given (<c>BERTH_TOKEN</c>).</summary>
public sealed record AccessSpec
{
    /// <summary>Agents this agent may call through the proxy (<c>/agents/{name}/…</c>), by name. Default empty: none.</summary>
    public IReadOnlyList<string> Agents { get; set; } = [];
}
