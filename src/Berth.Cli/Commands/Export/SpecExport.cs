using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Core.Specs;
using Berth.Core.Specs.Yaml;

namespace Berth.Cli.Commands.Export;

/// <summary>
/// Fetches specs from the server and writes them as the documents <c>berth apply</c> reads: the one spec writer the client
/// applies with (<see cref="SpecDocuments"/>), so what comes back equals what was applied. Specs hold secret references
/// (<c>${secret:NAME}</c>), never secret values, and so does the export.
/// </summary>
internal static class SpecExport
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The document of one named resource; a 404 from the server propagates (exit 3).</summary>
    public static async Task<JsonObject> FetchAsync(BerthClient client, ExportTarget target, CancellationToken cancellationToken) => target.Kind switch
    {
        ExportTarget.Agent => SpecDocuments.ToDocument((await client.GetAgentAsync(target.Name, cancellationToken)).Spec),
        ExportTarget.Workflow => SpecDocuments.ToDocument((await client.GetWorkflowAsync(target.Name, cancellationToken)).Spec),
        ExportTarget.Topic => SpecDocuments.ToDocument((await client.GetTopicAsync(target.Name, cancellationToken)).Spec),
        ExportTarget.ModelEndpoint => SpecDocuments.ToDocument((await client.GetModelEndpointAsync(target.Name, cancellationToken)).Spec),
        _ => SpecDocuments.ToDocument((await client.GetSubscriptionAsync(target.Name, cancellationToken)).Spec),
    };

    /// <summary>
    /// Every resource <c>berth apply</c> takes, in the order it applies them (model endpoints, topics, agents, subscriptions,
    /// workflows), each kind by name; mailboxes are the server's own and left out.
    /// </summary>
    public static async Task<IReadOnlyList<JsonObject>> FetchAllAsync(BerthClient client, CancellationToken cancellationToken)
    {
        var modelEndpoints = await client.ListModelEndpointsAsync(cancellationToken);
        var topics = await client.ListTopicsAsync(includeMailboxes: false, cancellationToken);
        var agents = await client.ListAgentsAsync(cancellationToken);
        var subscriptions = await client.ListSubscriptionsAsync(includeMailboxes: false, cancellationToken);
        var workflows = await client.ListWorkflowsAsync(cancellationToken);
        return
        [
            .. modelEndpoints.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => SpecDocuments.ToDocument(e.Spec)),
            .. topics.Where(t => !t.Mailbox).OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => SpecDocuments.ToDocument(t.Spec)),
            .. agents.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => SpecDocuments.ToDocument(a.Spec)),
            .. subscriptions.Where(s => !s.Mailbox).OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => SpecDocuments.ToDocument(s.Spec)),
            .. workflows.OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => SpecDocuments.ToDocument(w.Spec)),
        ];
    }

    /// <summary>The documents as one text: YAML documents, or JSON ones, separated by <c>---</c> lines (a YAML stream, which is what apply reads).</summary>
    public static string Render(IReadOnlyList<JsonObject> documents, bool json)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            if (text.Length > 0)
            {
                text.Append("---\n");
            }

            text.Append(json ? Json(document) : JsonYamlWriter.Write(document).ReplaceLineEndings("\n"));
        }

        return text.ToString();
    }

    private static string Json(JsonObject document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }
}
