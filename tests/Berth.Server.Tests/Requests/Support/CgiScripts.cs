namespace Berth.Server.Tests.Requests.Support;

/// <summary>
/// The behaviours of the durable-proxy test agent: busybox httpd CGI scripts that keep their state in files under
/// <c>/w/state</c>, a host directory the test reads and writes directly. Scripts that must hold a request open wait
/// for the test to create <c>/w/state/release</c>, so nothing depends on a sleep being long enough.
/// </summary>
internal static class CgiScripts
{
    /// <summary>The container's command: counts its boots, then runs httpd as PID 1 with the boot number in its environment.</summary>
    public const string Start = """
        #!/bin/sh
        echo boot >> /w/state/boots
        export BERTH_BOOT=$(wc -l < /w/state/boots)
        exec busybox httpd -f -p 8000 -h /w/www
        """;

    /// <summary>
    /// A job keyed by its <c>Idempotency-Key</c>: logs "key request-id boot" to <c>started</c>, waits for the release, then
    /// logs the key to <c>committed</c> (the job's effect) and answers "did BODY".
    /// </summary>
    public const string Work = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        echo "$HTTP_IDEMPOTENCY_KEY $HTTP_BERTH_REQUEST_ID $BERTH_BOOT" >> /w/state/started
        i=0
        while [ ! -e /w/state/release ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
        echo "$HTTP_IDEMPOTENCY_KEY" >> /w/state/committed
        printf 'Content-Type: text/plain\r\n\r\n'
        printf 'did %s\n' "$body"
        """;

    /// <summary>Answers 503 on its first two runs and 200 "ok on run N" after; every run is logged to <c>flaky</c>.</summary>
    public const string Flaky = """
        #!/bin/sh
        n=$(cat /w/state/flaky 2>/dev/null | wc -l)
        echo "$HTTP_BERTH_REQUEST_ID" >> /w/state/flaky
        if [ "$n" -lt 2 ]; then
          printf 'Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nbusy\n'
          exit 0
        fi
        printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok on run %s\n' "$((n+1))"
        """;

    /// <summary>Answers 503 while <c>/w/state/broken</c> exists, 200 "fixed" once it is gone; every run is logged to <c>down</c>.</summary>
    public const string Down = """
        #!/bin/sh
        echo "$HTTP_BERTH_REQUEST_ID" >> /w/state/down
        if [ -e /w/state/broken ]; then
          printf 'Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nbroken\n'
          exit 0
        fi
        printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nfixed\n'
        """;

    /// <summary>Server-sent events: sends event one, waits for the release, sends event two and logs the end to <c>events</c>.</summary>
    public const string Events = """
        #!/bin/sh
        printf 'Content-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n'
        printf 'data: one\n\n'
        i=0
        while [ ! -e /w/state/release ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
        printf 'data: two\n\n'
        echo "ended $HTTP_BERTH_REQUEST_ID" >> /w/state/events
        """;

    /// <summary>Logs "instance request-id" to <c>slow</c>, waits for the release, answers "served by INSTANCE".</summary>
    public const string Slow = """
        #!/bin/sh
        echo "$BERTH_INSTANCE $HTTP_BERTH_REQUEST_ID" >> /w/state/slow
        i=0
        while [ ! -e /w/state/release ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
        printf 'Content-Type: text/plain\r\n\r\nserved by %s\n' "$BERTH_INSTANCE"
        """;

    /// <summary>Logs a run to <c>runs</c> and answers "ran".</summary>
    public const string Run = """
        #!/bin/sh
        echo "$HTTP_BERTH_REQUEST_ID" >> /w/state/runs
        printf 'Content-Type: text/plain\r\n\r\nran\n'
        """;

    /// <summary>Every CGI script by its name under <c>/cgi-bin/</c>.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["work"] = Work,
        ["flaky"] = Flaky,
        ["down"] = Down,
        ["events"] = Events,
        ["slow"] = Slow,
        ["run"] = Run,
    };
}
