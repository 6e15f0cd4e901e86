using Berth.Core.Specs;
using Berth.Testing.Docker;

namespace Berth.Cli.Tests.Durability;

/// <summary>
/// A docker agent from the local busybox test image: httpd serves a host directory bind-mounted at <c>/www</c>, whose CGI
/// script <c>/cgi-bin/count</c> appends the body it got to <c>runs.log</c> (one line per run) and answers <c>ran BODY</c>.
/// The directory belongs to the caller, who deletes it.
/// </summary>
internal sealed class CountingContainerAgent
{
    private const string Script = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        echo "$body" >> /www/runs.log
        printf 'Content-Type: text/plain\r\n\r\n'
        printf 'ran %s\n' "$body"
        """;

    private const string SlowScript = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        sleep 2
        echo "$body" >> /www/runs.log
        printf 'Content-Type: application/json\r\n\r\n'
        printf '{"ran":true}\n'
        """;

    private const UnixFileMode Everyone =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public CountingContainerAgent(string root)
    {
        Root = root;
        var bin = Path.Combine(root, "cgi-bin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(root, "health"), "ok\n");
        var script = Path.Combine(bin, "count");
        File.WriteAllText(script, Script.ReplaceLineEndings("\n") + "\n");
        File.WriteAllText(RunLog, "");

        // The container's root has every capability dropped (no CAP_DAC_OVERRIDE), so the mode bits must let it write.
        File.SetUnixFileMode(root, Everyone);
        File.SetUnixFileMode(bin, Everyone);
        File.SetUnixFileMode(script, Everyone);
        File.SetUnixFileMode(RunLog, Everyone);
    }

    public string Root { get; }

    /// <summary>Adds <c>/cgi-bin/slow</c>: as <c>/cgi-bin/count</c>, after two seconds, answering JSON (a workflow step that takes a while).</summary>
    public void AddSlowScript()
    {
        var script = Path.Combine(Root, "cgi-bin", "slow");
        File.WriteAllText(script, SlowScript.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(script, Everyone);
    }

    private string RunLog => Path.Combine(Root, "runs.log");

    /// <summary>The body of every run, in the order the runs appended them.</summary>
    public IReadOnlyList<string> Runs => File.ReadAllLines(RunLog);

    public AgentSpec Spec(string name) => new()
    {
        Name = name,
        Image = TestImages.Busybox,
        Command = ["/bin/busybox"],
        Args = ["httpd", "-f", "-p", "8000", "-h", "/www"],
        Port = 8000,
        Volumes = [new VolumeSpec { Source = Root, Target = "/www" }],
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
        Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(2) },
    };
}
