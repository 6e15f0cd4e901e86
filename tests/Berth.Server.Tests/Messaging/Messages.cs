using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Server.Tests.Messaging;

/// <summary>The messaging routes as a client calls them, each answer checked for the status it must have.</summary>
internal static class Messages
{
    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    /// <summary>Applies a <c>kind: Topic</c> document with <paramref name="spec"/> lines (YAML, indented by 2).</summary>
    public static Task ApplyTopicAsync(HttpClient http, string name, string spec = "{}") => ApplyAsync(http, "topics", "Topic", name, spec);

    public static Task ApplySubscriptionAsync(HttpClient http, string name, string topic, string more = "") =>
        ApplyAsync(http, "subscriptions", "Subscription", name, $"\n  topic: {topic}\n{more}");

    public static async Task<HttpResponseMessage> PutDocumentAsync(HttpClient http, string route, string kind, string name, string spec)
    {
        var yaml = $"apiVersion: berth/v1\nkind: {kind}\nmetadata:\n  name: {name}\nspec: {spec}\n";
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        return await http.PutAsync($"/api/v1/{route}/{name}", content, TestTimeouts.Token());
    }

    public static async Task<PublishResponse> PublishAsync(HttpClient http, string path, JsonNode? body, string? key = null, IReadOnlyDictionary<string, string>? attributes = null, string? id = null)
    {
        using var response = await PostPublishAsync(http, path, body, key, attributes, id);
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBeOneOf([HttpStatusCode.Created, HttpStatusCode.OK], text);
        return (await response.Content.ReadFromJsonAsync<PublishResponse>(BerthJson.Options, TestTimeouts.Token()))!;
    }

    public static Task<HttpResponseMessage> PostPublishAsync(HttpClient http, string path, JsonNode? body, string? key = null, IReadOnlyDictionary<string, string>? attributes = null, string? id = null) =>
        http.PostAsJsonAsync(path, new PublishRequest { Body = body, Key = key, Attributes = attributes, Id = id }, BerthJson.Options, TestTimeouts.Token());

    /// <summary>Leases up to <paramref name="max"/> messages from <paramref name="path"/> (a subscription's or mailbox's <c>/messages</c>).</summary>
    public static async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(HttpClient http, string path, int max = 10, string wait = "0s")
    {
        using var response = await http.GetAsync($"{path}?max={max}&wait={wait}", TestTimeouts.Token());
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return (await response.Content.ReadFromJsonAsync<List<ReceivedMessage>>(BerthJson.Options, TestTimeouts.Token()))!;
    }

    /// <summary>Receives from <paramref name="path"/> until one message comes (long-polls of 5s).</summary>
    public static Task<IReadOnlyList<ReceivedMessage>> ReceiveSomeAsync(HttpClient http, string path, int max = 10) =>
        Eventually.MatchAsync(_ => ReceiveAsync(http, path, max, "5s"), got => got.Count > 0, $"a message at {path}");

    public static async Task<SettleResponse> SettleAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, BerthJson.Options, TestTimeouts.Token());
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return (await response.Content.ReadFromJsonAsync<SettleResponse>(BerthJson.Options, TestTimeouts.Token()))!;
    }

    /// <summary>Acks through the route beside <paramref name="consumerPath"/> (a subscription's or mailbox's <c>/messages</c>).</summary>
    public static Task<SettleResponse> AckAsync(HttpClient http, string consumerPath, params string[] ackIds) =>
        SettleAsync(http, Beside(consumerPath, "ack"), new AckRequest { AckIds = ackIds });

    /// <summary>The route named <paramref name="route"/> beside a consumer's <c>/messages</c> path (<c>ack</c>, <c>nack</c>).</summary>
    public static string Beside(string consumerPath, string route) =>
        consumerPath.EndsWith("/messages", StringComparison.Ordinal) ? $"{consumerPath[..^"/messages".Length]}/{route}" : $"{consumerPath}/{route}";

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token())) as JsonObject)!;

    private static async Task ApplyAsync(HttpClient http, string route, string kind, string name, string spec)
    {
        using var response = await PutDocumentAsync(http, route, kind, name, spec);
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBeOneOf([HttpStatusCode.Created, HttpStatusCode.OK], text);
    }
}
