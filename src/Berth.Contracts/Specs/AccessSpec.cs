namespace Berth.Core.Specs;

/// <summary>What an agent may reach through Berth with the token each of its instances is given (<c>BERTH_TOKEN</c>).</summary>
public sealed record AccessSpec
{
    /// <summary>Agents this agent may call through the proxy (<c>/agents/{name}/…</c>), by name. Default empty: none.</summary>
    public IReadOnlyList<string> Agents { get; set; } = [];

    /// <summary>
    /// Capabilities this agent may call through Berth's capability route (<c>/capabilities/{name}/…</c>), by name; Berth picks
    /// the provider, so naming a capability allows reaching whichever agent declares it. Default empty: none.
    /// </summary>
    public IReadOnlyList<string> Capabilities { get; set; } = [];

    /// <summary>
    /// Topics this agent may publish to (<c>POST /api/v1/topics/{name}/messages</c>), by name. Default empty: none. Mail to another
    /// agent's mailbox needs that agent in <see cref="Agents"/> instead.
    /// </summary>
    public IReadOnlyList<string> Publish { get; set; } = [];

    /// <summary>
    /// Model endpoints this agent may call through the LLM gateway (<c>/llm/{endpoint}/…</c>): <c>NAME</c> for every model the
    /// endpoint lists, <c>NAME/MODEL</c> for one of them (by its name or alias). Default empty: none.
    /// </summary>
    public IReadOnlyList<string> Models { get; set; } = [];
}
