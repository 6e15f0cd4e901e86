using Berth.Core.Specs;

namespace Berth.Testing.Agents;

/// <summary>
/// A small HTTP agent run as a local process: busybox httpd serving <c>/health</c> and CGI scripts: <c>/cgi-bin/echo</c>
/// answers with the method, URI, one request header and body, <c>/cgi-bin/count</c> counts its runs,
/// <c>/cgi-bin/slow</c> answers after a minute, <c>/cgi-bin/traceparent</c> answers with the <c>traceparent</c> header it got, and <c>/cgi-bin/chat</c> answers like an
/// OpenAI chat completion with a <c>usage</c> object.
/// </summary>
public sealed class BusyboxHttpAgent : IDisposable
{
    private const string Busybox = "/bin/busybox";

    private const string EchoScript = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        echo "served $REQUEST_METHOD $REQUEST_URI" >&2
        printf 'Content-Type: text/plain\r\nX-Agent: %s\r\n\r\n' "$BERTH_AGENT"
        printf '%s %s %s %s\n' "$REQUEST_METHOD" "$REQUEST_URI" "$HTTP_X_TEST" "$body"
        """;

    // Counts its runs in a file shared by every instance, and answers with the body it got.
    private const string CountScript = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        echo "$body" >> {log}
        printf 'Content-Type: text/plain\r\nX-Counted: yes\r\n\r\n'
        printf 'ran %s\n' "$body"
        """;

    // Answers after a minute: a call that is still running when a test acts on it.
    private const string SlowScript = """
        #!/bin/sh
        sleep 60
        printf 'Content-Type: application/json\r\n\r\n{}'
        """;

    // Answers with the W3C trace context the request reached the agent with.
    private const string TraceParentScript = """
        #!/bin/sh
        printf 'Content-Type: text/plain\r\n\r\n%s' "$HTTP_TRACEPARENT"
        """;

    // Answers like an OpenAI chat completion, with a usage object of fixed token counts (ChatUsage).
    private const string ChatScript = """
        #!/bin/sh
        if [ -n "$CONTENT_LENGTH" ]; then head -c "$CONTENT_LENGTH" > /dev/null; fi
        printf 'Content-Type: application/json\r\n\r\n'
        printf '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}}\n'
        """;

    /// <summary>The prompt, completion and total tokens every answer of <c>/cgi-bin/chat</c> reports in its <c>usage</c>.</summary>
    public static readonly (int Prompt, int Completion, int Total) ChatUsage = (12, 30, 42);

    /// <summary>What <c>GET /</c> answers.</summary>
    public const string IndexPage = "busybox test agent\n";

    public BusyboxHttpAgent()
    {
        if (!File.Exists(Busybox))
        {
            throw new InvalidOperationException("These tests need /bin/busybox: apt-get install -y busybox-static (the test script does it).");
        }

        AgentFiles.CreateSharedDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "cgi-bin"));
        File.WriteAllText(Path.Combine(Root, "health"), "ok\n");
        File.WriteAllText(Path.Combine(Root, "index.html"), IndexPage);
        var script = Path.Combine(Root, "cgi-bin", "echo");
        AgentFiles.WriteScript(script, EchoScript);
        var count = Path.Combine(Root, "cgi-bin", "count");
        AgentFiles.WriteScript(count, CountScript.Replace("{log}", ExecutionLog, StringComparison.Ordinal));
        AgentFiles.WriteScript(Path.Combine(Root, "cgi-bin", "traceparent"), TraceParentScript);
        AgentFiles.WriteScript(Path.Combine(Root, "cgi-bin", "chat"), ChatScript);
        AgentFiles.WriteScript(Path.Combine(Root, "cgi-bin", "slow"), SlowScript);
    }

    /// <summary>One line per run of <c>/cgi-bin/count</c>, whichever instance ran it.</summary>
    public string ExecutionLog => Path.Combine(Root, "executions.log");

    /// <summary>The body of every run of <c>/cgi-bin/count</c>, in order.</summary>
    public IReadOnlyList<string> Runs => File.Exists(ExecutionLog) ? File.ReadAllLines(ExecutionLog) : [];

    /// <summary>How many times <c>/cgi-bin/count</c> ran.</summary>
    public int Executions => Runs.Count;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"berth-www-{Guid.NewGuid():N}");

    public AgentSpec Spec(string name, int replicas = 1) => new()
    {
        Name = name,
        Process = new ProcessSpec { Command = Busybox, Args = ["httpd", "-f", "-v", "-p", "127.0.0.1:$(PORT)", "-h", Root] },
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(1) },
        Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(2) },
        Replicas = replicas,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // httpd may still be writing for a moment after its agent is removed; /tmp is cleaned eventually
        }
    }
}
