namespace Berth.Testing.Docker;

/// <summary>The build context of the echo agent, usable as a tar or written to a directory for build specs.</summary>
public static class EchoAgentContext
{
    private const string Dockerfile = """
        FROM berth-test/busybox:1
        COPY www /www
        COPY start.sh /start.sh
        EXPOSE 8000
        CMD ["/bin/sh", "/start.sh"]

        """;

    // httpd runs as PID 1 via exec; SIGTERM is ignored by PID 1 without a handler, so stops use short graces
    private const string Start = """
        #!/bin/sh
        echo "echo-agent listening on port 8000"
        echo "echo-agent stderr ready" >&2
        exec busybox httpd -f -p 8000 -h /www

        """;

    // a CGI script: prints the request back as JSON-ish text (values are not escaped) and logs to stderr
    private const string Echo = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ] && [ "$CONTENT_LENGTH" -gt 0 ]; then
          body=$(head -c "$CONTENT_LENGTH")
        fi
        echo "echo-agent: $REQUEST_METHOD $REQUEST_URI" >&2
        printf 'Status: 200 OK\r\nContent-Type: application/json\r\n\r\n'
        printf '{"method":"%s","path":"%s","query":"%s","body":"%s","instance":"%s"}\n' "$REQUEST_METHOD" "$PATH_INFO" "$QUERY_STRING" "$body" "$BERTH_INSTANCE"

        """;

    /// <summary>The files: relative path, content, executable bit.</summary>
    public static IReadOnlyList<(string Path, string Content, bool Executable)> Files { get; } =
    [
        ("Dockerfile", Dockerfile, false),
        ("start.sh", Start, true),
        ("www/health", "ok\n", false),
        ("www/cgi-bin/echo", Echo, true),
    ];

    /// <summary>Writes the context into <paramref name="directory"/> (created if missing), with executable bits.</summary>
    public static void WriteTo(string directory)
    {
        foreach (var (path, content, executable) in Files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            if (executable && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }
    }
}
