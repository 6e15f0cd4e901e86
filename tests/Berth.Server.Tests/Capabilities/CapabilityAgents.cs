using Berth.Core.Specs;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Capabilities;

/// <summary>
/// Busybox httpd process agents that all declare one capability (a name of their own per test). Each serves
/// <c>/cgi-bin/who</c> (its name as JSON, or 503 while its <c>broken</c> file exists; one line per call in <c>who.calls</c>) and
/// <c>/cgi-bin/hold</c> (touches <c>holding</c>, then answers once a <c>release</c> file exists).
/// </summary>
internal sealed class CapabilityAgents : IDisposable
{
    private const string Who = """
        #!/bin/sh
        echo call >> {root}/who.calls
        if [ -e {root}/broken ]; then printf 'Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nbroken\n'; exit 0; fi
        printf 'Status: 200 OK\r\nContent-Type: application/json\r\n\r\n{"agent": "%s", "method": "%s", "body": "%s"}\n' "$BERTH_AGENT" "$REQUEST_METHOD" "$(head -c "${CONTENT_LENGTH:-0}")"
        """;

    // The loop's bound only keeps a forgotten release from leaving httpd children behind; tests release explicitly.
    private const string Hold = """
        #!/bin/sh
        touch {root}/holding
        i=0
        while [ ! -e {root}/release ] && [ "$i" -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
        printf 'Status: 200 OK\r\nContent-Type: application/json\r\n\r\n{"agent": "%s"}\n' "$BERTH_AGENT"
        """;

    private readonly Dictionary<string, BusyboxHttpAgent> _agents = new(StringComparer.Ordinal);

    public CapabilityAgents(int count)
    {
        var id = $"{Guid.NewGuid():N}"[..8];
        Capability = $"cap-{id}";
        for (var i = 0; i < count; i++)
        {
            var agent = new BusyboxHttpAgent();
            foreach (var (name, text) in new[] { ("who", Who), ("hold", Hold) })
            {
                AgentFiles.WriteScript(Path.Combine(agent.Root, "cgi-bin", name), text.Replace("{root}", agent.Root, StringComparison.Ordinal));
            }

            _agents[$"p{id}-{(char)('a' + i)}"] = agent;
        }
    }

    public string Capability { get; }

    /// <summary>The agents' names, in order.</summary>
    public IReadOnlyList<string> Names => _agents.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The spec of <paramref name="name"/>: its busybox agent declaring the capability at version 1.N.0 (N its position).</summary>
    public AgentSpec Spec(string name) => _agents[name].Spec(name) with
    {
        Capabilities = [new DeclaredCapability { Name = Capability, Version = $"1.{Names.ToList().IndexOf(name)}.0", Description = "says who it is" }],
    };

    public void Break(string name) => File.WriteAllText(Path.Combine(_agents[name].Root, "broken"), "");

    public void Release()
    {
        foreach (var agent in _agents.Values)
        {
            File.WriteAllText(Path.Combine(agent.Root, "release"), "");
        }
    }

    public bool Holding(string name) => File.Exists(Path.Combine(_agents[name].Root, "holding"));

    /// <summary>How many times <paramref name="name"/>'s <c>/cgi-bin/who</c> ran.</summary>
    public int Calls(string name)
    {
        var file = Path.Combine(_agents[name].Root, "who.calls");
        return File.Exists(file) ? File.ReadAllLines(file).Length : 0;
    }

    public void Dispose()
    {
        Release();
        foreach (var agent in _agents.Values)
        {
            agent.Dispose();
        }
    }
}
