using System.Security.Claims;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Storage;
using Berth.Server.Problems;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Messaging.Api;

/// <summary>The <c>/api/v1/topics</c> routes: list, get, apply and remove topics, and publish to one.</summary>
internal static class TopicsApi
{
    public static RouteGroupBuilder MapTopicsApi(this RouteGroupBuilder api)
    {
        var topics = api.MapGroup("/topics").WithTags("Messaging");
        var reads = topics.MapGroup("").RequireAuthorization(BerthPolicies.Viewer);
        var changes = topics.MapGroup("").RequireAuthorization(BerthPolicies.Operator);
        reads.MapGet("/", ListAsync).WithName("ListTopics");
        reads.MapGet("/{name}", GetAsync).WithName("GetTopic");
        changes.MapPut("/{name}", ApplyAsync).WithName("ApplyTopic")
            .Accepts<JsonObject>(SpecBody.MediaTypes[0], SpecBody.MediaTypes[1..])
            .WithDescription("Body: a kind: Topic document (apiVersion, kind, metadata.name, spec), the same YAML or JSON that berth apply reads.");
        changes.MapDelete("/{name}", RemoveAsync).WithName("RemoveTopic")
            .WithDescription("Removes the topic, its subscriptions and every message they hold; answers how many subscriptions went with it.");
        topics.MapPost("/{name}/messages", PublishAsync).WithName("PublishMessage")
            .RequireAuthorization(BerthPolicies.MessagePublish).Accepts<PublishRequest>("application/json")
            .WithDescription("Publishes a message; answers once it is committed. A Message-Id header (or body id) seen within the topic's dedupe window answers 200 with the first message's id and stores nothing.");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<TopicView>>> ListAsync(bool? mailboxes, MessagingTopology topology, CancellationToken ct)
    {
        var current = await topology.RefreshAsync(ct);
        var views = current.Topics.Select(t => View(t, current)).Where(v => mailboxes == true || !v.Mailbox).OrderBy(v => v.Name, StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<TopicView>>([.. views]);
    }

    private static async Task<Results<Ok<TopicView>, ProblemHttpResult>> GetAsync(string name, MessagingTopology topology, CancellationToken ct) =>
        await topology.TopicAsync(name, ct) is { } topic ? TypedResults.Ok(View(topic, topology.Current)) : MessagingProblems.TopicNotFound(name);

    private static async Task<Results<Created<ResourceApplyResponse>, Ok<ResourceApplyResponse>, ProblemHttpResult>> ApplyAsync(
        string name, HttpRequest request, MessagingCommands commands, CancellationToken ct)
    {
        var (spec, invalid) = await SpecBody.ReadAsync<TopicSpec>(request, name, "Topic", t => t.Name, null, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var response = await commands.ApplyTopicAsync(spec!, ct);
        return response.Outcome == ApplyOutcome.Created ? TypedResults.Created($"/api/v1/topics/{name}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> RemoveAsync(string name, MessagingCommands commands, CancellationToken ct) =>
        await commands.RemoveTopicAsync(name, ct) is { } removed ? TypedResults.Ok(new CountResponse(removed)) : MessagingProblems.TopicNotFound(name);

    private static async Task<Results<Created<PublishResponse>, Ok<PublishResponse>, ProblemHttpResult>> PublishAsync(
        string name, HttpRequest request, ClaimsPrincipal user, MessagePublisher publisher, CancellationToken ct)
    {
        var (message, problem) = await PublishBody.ReadAsync(request, user, ct);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var result = await publisher.PublishAsync(name, message!, ct);
            var response = new PublishResponse(result.Id, name, result.Duplicate);
            return result.Duplicate ? TypedResults.Ok(response) : TypedResults.Created($"/api/v1/messages/{result.Id}", response);
        }
        catch (UnknownTopicException)
        {
            return MessagingProblems.TopicNotFound(name);
        }
    }

    private static TopicView View(TopicSpec topic, MessageTopology topology) => new()
    {
        Name = topic.Name,
        Spec = topic,
        Subscriptions = [.. topology.SubscriptionsOf(topic.Name).Select(s => s.Name)],
        Mailbox = Mailboxes.AgentOf(topic.Name) is not null,
    };
}
