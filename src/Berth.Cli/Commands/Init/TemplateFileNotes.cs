namespace Berth.Cli.Commands.Init;

/// <summary>One line per generated file for the README's table, so a newcomer knows what each file is for.</summary>
internal static class TemplateFileNotes
{
    private static readonly Dictionary<string, string> Notes = new(StringComparer.Ordinal)
    {
        ["agent.yaml"] = "the agent spec: `berth apply -f agent.yaml`",
        ["plugin.yaml"] = "the plugin manifest: verb, input and output schemas, an example, the pool",
        ["README.md"] = "this file",
        ["Dockerfile"] = "the container image, the escape hatch from the process runtime",
        ["server.py"] = "the HTTP server and the work",
        ["server.mjs"] = "the HTTP server and the work",
        ["app.cs"] = "the HTTP server, the work and the idempotency record (one file)",
        ["server.sh"] = "starts `busybox nc -ll`, which runs handler.sh for each connection",
        ["handler.sh"] = "reads one HTTP request, routes it and does the work",
        ["idempotency.py"] = "the exactly-once record",
        ["idempotency.mjs"] = "the exactly-once record",
        ["idempotency.sh"] = "the exactly-once record",
        ["test_server.py"] = "the tests (unittest)",
        ["test.mjs"] = "the tests (node:test)",
        ["test.cs"] = "the tests (a file-based app)",
        ["test.sh"] = "the tests (busybox wget)",
    };

    public static string Table(IEnumerable<TemplateFile> files) =>
        string.Join('\n', files.Select(f => $"| `{f.Path}` | {Notes.GetValueOrDefault(f.Path, "part of the template")} |"));
}
