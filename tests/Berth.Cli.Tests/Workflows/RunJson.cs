namespace Berth.Cli.Tests.Workflows;

/// <summary>API bodies for the stub server, in the server's JSON conventions.</summary>
internal static class RunJson
{
    public const string WorkflowRecord = """
        {"name":"wf","spec":{"name":"wf","inputs":{"count":{"type":"number","required":true},"mode":{"type":"string","default":"fast"}},
         "steps":[{"id":"say","kind":"container","container":{"image":"local/busybox:1","command":["echo","hi"]}}]},
         "generation":2,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}
        """;

    public static string Run(string state, string steps = "", string extra = "") => $$"""
        {"id":"r1","workflow":"wf","state":"{{state}}","startedBy":"admin","inputs":{"count":3},"createdAt":"2026-01-01T00:00:00Z"
         {{(steps.Length == 0 ? "" : $",\"steps\":[{steps}]")}}{{extra}}}
        """;

    public static string Step(string id, string state, int attempt = 1, string extra = "") => $$"""
        {"id":"{{id}}","kind":"container","needs":[],"state":"{{state}}","attempt":{{attempt}},
         "startedAt":"2026-01-01T00:00:01Z","finishedAt":"2026-01-01T00:00:03.500Z"{{extra}}}
        """;

    public static string Event(long sequence, string type, string? step = null, string? message = null, int? attempt = null)
    {
        var fields = new List<string> { $"\"sequence\":{sequence}", "\"runId\":\"r1\"", "\"time\":\"2026-01-01T00:00:01Z\"", $"\"type\":\"{type}\"" };
        if (step is not null)
        {
            fields.Add($"\"stepId\":\"{step}\"");
        }

        if (attempt is not null)
        {
            fields.Add($"\"attempt\":{attempt}");
        }

        if (message is not null)
        {
            fields.Add($"\"message\":\"{message}\"");
        }

        return $"id: {sequence}\nevent: {type}\ndata: {{{string.Join(',', fields)}}}\n\n";
    }
}
