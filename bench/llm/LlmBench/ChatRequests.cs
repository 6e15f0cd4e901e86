using System.Text.Json.Nodes;

namespace Berth.Bench.Llm;

/// <summary>The two request bodies every call sends, the same bytes to the provider directly and through Berth.</summary>
internal static class ChatRequests
{
    /// <summary>The model the endpoint lists and every call asks for (the fake provider answers any).</summary>
    public const string Model = "gpt-4o-mini";

    /// <summary>A chat completion answered as one JSON document.</summary>
    public static readonly byte[] Complete = Body(stream: false);

    /// <summary>
    /// The same, streamed, asking for the usage chunk at the end: the gateway adds that option to a stream that lacks it (so it
    /// can count the tokens), and the direct call must send the body Berth sends upstream for the two to be compared.
    /// </summary>
    public static readonly byte[] Stream = Body(stream: true);

    private static byte[] Body(bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = Model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You are a terse assistant." },
                new JsonObject { ["role"] = "user", ["content"] = "Say hello to the benchmark." }),
            ["max_tokens"] = 64,
            ["temperature"] = 0,
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }
}
