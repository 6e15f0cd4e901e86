using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Testing.Docker;

/// <summary>
/// Images the integration tests run, made without any registry: a busybox root imported from the host's
/// static /bin/busybox, and an HTTP echo agent built on it. Safe to call from many test classes at once.
/// </summary>
public static class TestImages
{
    /// <summary>A minimal root: /bin/busybox, applet symlinks, /tmp. CMD /bin/sh.</summary>
    public const string Busybox = "berth-test/busybox:1";

    /// <summary>Serves HTTP on <see cref="EchoAgentPort"/>: <c>GET /health</c> answers 200, <c>/cgi-bin/echo</c> echoes the request.</summary>
    public const string EchoAgent = "berth-test/echo-agent:1";

    /// <summary>The port the echo agent listens on inside its container.</summary>
    public const int EchoAgentPort = 8000;

    /// <summary>The line the echo agent prints to stdout when it starts.</summary>
    public const string EchoAgentStdoutLine = "echo-agent listening on port 8000";

    /// <summary>The line the echo agent prints to stderr when it starts.</summary>
    public const string EchoAgentStderrLine = "echo-agent stderr ready";

    /// <summary>How the line the echo agent prints to stderr for each request to <c>/cgi-bin/echo</c> starts.</summary>
    public const string EchoAgentRequestLinePrefix = "echo-agent: ";

    private const string HostBusybox = "/bin/busybox";

    private static readonly SemaphoreSlim BusyboxGate = new(1, 1);
    private static readonly SemaphoreSlim EchoAgentGate = new(1, 1);

    private static readonly string[] Applets =
    [
        "sh", "ash", "cat", "echo", "printf", "ls", "sleep", "head", "tail", "dd", "httpd", "env", "printenv",
        "mkdir", "rm", "cp", "mv", "ln", "chmod", "touch", "sed", "grep", "wc", "tr", "cut", "sort", "date",
        "true", "false", "test", "[", "kill", "ps", "id", "hostname", "nc", "wget", "tee", "stat", "tar",
        "find", "xargs", "awk", "expr", "basename", "dirname", "uname", "timeout", "seq", "yes", "pwd", "du",
    ];

    /// <summary>Imports <see cref="Busybox"/> unless it exists.</summary>
    public static async Task EnsureBusyboxAsync(DockerEngineClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        await BusyboxGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await client.TryInspectImageAsync(Busybox, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            if (!File.Exists(HostBusybox))
            {
                throw new InvalidOperationException($"{HostBusybox} is missing: install Debian's busybox-static (apt-get install busybox-static)");
            }

            var root = new TarBuilder()
                .AddDirectory("bin")
                .AddDirectory("tmp", (UnixFileMode)0b1_111_111_111)
                .AddDirectory("etc")
                .AddFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
                .AddFile("bin/busybox", await File.ReadAllBytesAsync(HostBusybox, cancellationToken).ConfigureAwait(false), (UnixFileMode)0b111_101_101);
            foreach (var applet in Applets)
            {
                root.AddSymlink("bin/" + applet, "busybox");
            }

            using var tar = await root.ToStreamAsync(cancellationToken).ConfigureAwait(false);
            await client.ImportImageAsync(
                new ImageImportRequest
                {
                    Repository = Busybox.Split(':')[0],
                    Tag = Busybox.Split(':')[1],
                    Changes = ["ENV PATH=/bin", "CMD [\"/bin/sh\"]"],
                },
                tar,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            BusyboxGate.Release();
        }
    }

    /// <summary>Builds <see cref="EchoAgent"/> (and <see cref="Busybox"/> first) unless it exists.</summary>
    public static async Task EnsureEchoAgentAsync(DockerEngineClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        await EnsureBusyboxAsync(client, cancellationToken).ConfigureAwait(false);
        await EchoAgentGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await client.TryInspectImageAsync(EchoAgent, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            var context = new TarBuilder();
            foreach (var file in EchoAgentContext.Files)
            {
                context.AddFile(file.Path, file.Content, file.Executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
            }

            using var tar = await context.ToStreamAsync(cancellationToken).ConfigureAwait(false);
            await client.BuildImageAsync(new ImageBuildRequest { Tag = EchoAgent }, tar, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EchoAgentGate.Release();
        }
    }
}
