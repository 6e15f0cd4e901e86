namespace Berth.Server.Mcp.Prompts;

/// <summary>
/// The text of the <c>deploy_agent</c> prompt. The fields, defaults and limits it cites are those of docs/specs.md ("Fields of
/// spec"); keep them in step when the spec changes.
/// </summary>
internal static class DeployAgentText
{
    public static string For(string source, string? name, int? port)
    {
        var kind = Guess(source);
        var agentName = name ?? "<a name you choose: lowercase letters, digits and '-'>";
        var shown = port ?? 8000;
        var skeleton = kind switch
        {
            "process" => $$"""
                  process:
                    command: {{First(source)}}
                    args: [{{Args(source)}}]
                """,
            "build" => $$"""
                  build: { context: {{source}} }
                  port: {{shown}}
                """,
            _ => $$"""
                  image: {{source}}
                  port: {{shown}}
                """,
        };
        var portNote = port is null || kind != "process" ? "" : $" (the user said {port}: make the program listen on $(PORT) rather than a fixed port)";

        return $$"""
            Deploy this on Berth as an agent: {{source}}
            It looks like {{Describe(kind)}}; if that is wrong, use the right one of image, build or process.

            Write exactly one YAML document of kind Agent:

            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: {{agentName}}
            spec:
            {{skeleton}}
              health: { path: /health }

            The fields Berth accepts in spec (anything else is refused, naming the closest field):
            - exactly one of: image (a container image), build {context, dockerfile (default Dockerfile)}, or process {command, args, workingDir} (a local program: a name on PATH or a path).
            - port: where the agent listens, 1-65535, default 8000. A process agent is given a free port in the PORT environment variable instead{{portNote}}.
            - command / args: container agents only, replace the image's entrypoint and command. Process agents use process.args; "$(PORT)" and "$(NAME)" in them are expanded at launch.
            - env: a map of variables. Never write a secret's value: reference it as "${secret:NAME}" (the secret must exist: berth secrets set NAME).
            - health: {path, interval (10s), timeout (2s), retries (3), startPeriod (0s)}; path starts with a single '/'. Without health, a TCP connect is the probe. Use a path the program really answers with 2xx, or leave health out.
            - replicas (default 1, 0-100); restart {policy: always | on-failure | never (default always), maxBackoff (5m)}.
            - resources {memory: 512Mi, cpus: "0.5"}, volumes ["name:/path"] (containers only), capabilities [names], dependsOn [agent names], access {agents: [names it may call]}.
            - persistence {enabled (true), maxAttempts (5), backoff (1s), requestTimeout (60s), retentionPeriod (7d)}: the proxy stores each request before forwarding it.
            Durations are written 500ms, 30s, 5m, 1h30m, 2d.

            Then:
            1. Call the apply tool with the YAML (it needs the operator role). If it answers with errors, each names its path (spec.health.interval: ...): fix every one and call apply again.
            2. Call get_agent with the name until its state is running (or read the resource berth://agents/<name>); if it fails, read berth://agents/<name>/logs and fix the spec.
            3. Tell the user the agent's proxy path (/agents/<name>/), through which every call reaches it.
            """;
    }

    private static string Guess(string source) => source switch
    {
        _ when source.Contains(' ', StringComparison.Ordinal) => "process",
        _ when source.StartsWith('.') || source.StartsWith('/') => source.EndsWith(".py", StringComparison.Ordinal) || source.EndsWith(".js", StringComparison.Ordinal) || source.EndsWith(".sh", StringComparison.Ordinal) ? "process" : "build",
        _ => "image",
    };

    private static string Describe(string kind) => kind switch
    {
        "process" => "a local command (spec.process)",
        "build" => "a directory to build with its Dockerfile (spec.build)",
        _ => "a container image (spec.image)",
    };

    private static string First(string source) => source.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    private static string Args(string source) =>
        string.Join(", ", source.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(a => $"\"{a.Replace("\"", "\\\"", StringComparison.Ordinal)}\""));
}
