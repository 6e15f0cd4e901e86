using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Messaging.Api;

/// <summary>The problems messaging routes answer, each with what to do.</summary>
internal static class MessagingProblems
{
    public const string InvalidMessageType = "urn:berth:problem:invalid-message";

    public static ProblemHttpResult TopicNotFound(string name, string? why = null) => Problems.Problems.Problem(
        StatusCodes.Status404NotFound, "Topic not found", Problems.Problems.NotFoundType,
        $"No topic named '{name}'. {why ?? "List topics with 'berth topics ls'; create one with 'berth topics create NAME' or apply a kind: Topic spec."}");

    public static ProblemHttpResult SubscriptionNotFound(string name) => Problems.Problems.Problem(
        StatusCodes.Status404NotFound, "Subscription not found", Problems.Problems.NotFoundType,
        $"No subscription named '{name}'. List them with 'berth subscriptions ls'; create one by applying a kind: Subscription spec.");

    public static ProblemHttpResult MessageNotFound(string id) => Problems.Problems.Problem(
        StatusCodes.Status404NotFound, "Message not found", Problems.Problems.NotFoundType,
        $"No message with id '{id}' is held or retained. List held messages with 'berth messages ls'.");

    public static ProblemHttpResult InvalidMessage(IReadOnlyList<string> problems) => Problems.Problems.Problem(
        StatusCodes.Status400BadRequest, "The message is invalid", InvalidMessageType,
        $"The message has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}: {string.Join("; ", problems)}.");
}
