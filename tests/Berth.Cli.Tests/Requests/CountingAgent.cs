using Berth.Core.Specs;

namespace Berth.Cli.Tests.Requests;

/// <summary>
/// A process agent made of busybox httpd: <c>/health</c> answers ok, and the CGI script <c>/cgi-bin/count</c> appends the
/// body it got to a log file (one line per run) and answers <c>ran BODY</c>.
/// </summary>
internal sealed class CountingAgent : IDisposable
{
    private const string Busybox = "/bin/busybox";

    private const string Script = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        echo "$body" >> {log}
        printf 'Content-Type: text/plain\r\nX-Counted: yes\r\n\r\n'
        printf 'ran %s\n' "$body"
        """;

    public CountingAgent()
    {
        if (!File.Exists(Busybox))
        {
            throw new InvalidOperationException("These tests need /bin/busybox: apt-get install -y busybox-static.");
        }

        Directory.CreateDirectory(Path.Combine(Root, "cgi-bin"));
        File.WriteAllText(Path.Combine(Root, "health"), "ok\n");
        var script = Path.Combine(Root, "cgi-bin", "count");
        File.WriteAllText(script, Script.Replace("{log}", RunLog, StringComparison.Ordinal).ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"berth-cli-www-{Guid.NewGuid():N}"[..30]);

    private string RunLog => Path.Combine(Root, "runs.log");

    /// <summary>The body of every run of <c>/cgi-bin/count</c>, in order.</summary>
    public IReadOnlyList<string> Runs => File.Exists(RunLog) ? File.ReadAllLines(RunLog) : [];

    public AgentSpec Spec(string name) => new()
    {
        Name = name,
        Process = new ProcessSpec { Command = Busybox, Args = ["httpd", "-f", "-p", "127.0.0.1:$(PORT)", "-h", Root] },
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
        Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(2) },
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
