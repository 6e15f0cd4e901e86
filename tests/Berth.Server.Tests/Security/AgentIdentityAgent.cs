using Berth.Core.Specs;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Security;

/// <summary>
/// A busybox agent with two more CGI scripts: <c>/cgi-bin/whoami</c> answers its <c>BERTH_TOKEN</c>, <c>BERTH_URL</c> and
/// <c>BERTH_INSTANCE</c>, and <c>/cgi-bin/call?PATH</c> calls Berth at <c>$BERTH_URL/PATH</c> with its own token (busybox wget),
/// answering what came back, or wget's error line (which carries the status) and <c>exit=1</c>. (No -T: it crashes busybox 1.35's static wget.)
/// </summary>
internal sealed class AgentIdentityAgent : IDisposable
{
    private const string WhoAmIScript = """
        #!/bin/sh
        printf 'Content-Type: text/plain\r\n\r\n'
        printf '%s %s %s\n' "$BERTH_TOKEN" "$BERTH_URL" "$BERTH_INSTANCE"
        """;

    private const string CallScript = """
        #!/bin/sh
        printf 'Content-Type: text/plain\r\n\r\n'
        /bin/busybox wget -q -Y off -O - --header "Authorization: Bearer $BERTH_TOKEN" "$BERTH_URL/$QUERY_STRING" 2>&1
        echo "exit=$?"
        """;

    private readonly BusyboxHttpAgent _www = new();

    public AgentIdentityAgent()
    {
        Write("whoami", WhoAmIScript);
        Write("call", CallScript);
    }

    /// <summary>The document root: it appears in the command line of every process serving it.</summary>
    public string Root => _www.Root;

    public AgentSpec Spec(string name, params string[] mayCall) =>
        _www.Spec(name) with { Access = mayCall.Length == 0 ? null : new AccessSpec { Agents = mayCall } };

    public void Dispose() => _www.Dispose();

    private void Write(string name, string script)
    {
        var path = Path.Combine(Root, "cgi-bin", name);
        AgentFiles.WriteScript(path, script);
    }
}
