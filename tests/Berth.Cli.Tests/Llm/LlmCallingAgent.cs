using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Core.Agents;
using Berth.Core.Llm;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Testing;
using Berth.Testing.Agents;
using Berth.Testing.Llm;

namespace Berth.Cli.Tests.Llm;

/// <summary>
/// A running process agent that calls Berth's LLM gateway as agents do, with the token and address Berth gave it
/// (<c>BERTH_TOKEN</c>, <c>BERTH_URL</c>), or, asked by a workflow's step, with the token Berth minted for that step
/// (<c>Berth-Run-Token</c>), so the call counts for the run and its workflow: each request to its <c>/cgi-bin/llm</c> makes one
/// chat completion through a model endpoint of its own, served by a <see cref="FakeModelProvider"/>, and answers with the
/// provider's answer (a 424 when the gateway refused). The endpoint is priced so every call costs <see cref="CostPerCall"/>.
/// </summary>
internal sealed class LlmCallingAgent : IAsyncDisposable
{
    /// <summary>Tokens one call uses by the fake provider's figures: 21 prompt (5 of them cached) and 8 completion.</summary>
    public const long TokensPerCall = 29;

    /// <summary>What one call costs at the endpoint's prices (per million tokens: 2.5 input, 1.25 cached input, 10 output).</summary>
    public const decimal CostPerCall = 0.00012625m;

    private const string Script = """
        #!/bin/sh
        if [ -n "$CONTENT_LENGTH" ]; then head -c "$CONTENT_LENGTH" > /dev/null; fi
        token="${HTTP_BERTH_RUN_TOKEN:-$BERTH_TOKEN}"
        if answer=$(/bin/busybox wget -q -O - --header "Authorization: Bearer $token" --header "Content-Type: application/json" \
            --post-data '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}' "${BERTH_URL%/}/llm/$LLM_ENDPOINT/v1/chat/completions" 2>&1); then
          printf 'Content-Type: application/json\r\n\r\n%s' "$answer"
        else
          printf 'Status: 424 Failed Dependency\r\nContent-Type: text/plain\r\n\r\nthe gateway refused the call: %s\n' "$answer"
        fi
        """;

    private readonly BerthClient _client;
    private readonly BusyboxHttpAgent _files;
    private readonly FakeModelProvider _provider;

    private LlmCallingAgent(BerthClient client, BusyboxHttpAgent files, FakeModelProvider provider, string name)
    {
        _client = client;
        _files = files;
        _provider = provider;
        Name = name;
    }

    /// <summary>The agent's name; its model endpoint is named <see cref="Endpoint"/>.</summary>
    public string Name { get; }

    public string Endpoint => Name + "-ep";

    /// <summary>A workflow step, <paramref name="id"/>, that asks the agent for one call through the gateway, tried once.</summary>
    public StepSpec Step(string id) => new()
    {
        Id = id,
        Agent = new AgentStepSpec { Name = Name, Method = "POST", Path = "/cgi-bin/llm", Body = new JsonObject() },
        Retry = new StepRetrySpec { MaxAttempts = 1 },
    };

    /// <summary>Applies the endpoint and the agent through <paramref name="client"/> (an admin's) and waits until the agent runs.</summary>
    public static async Task<LlmCallingAgent> StartAsync(BerthClient client, string name)
    {
        var token = TestTimeouts.Token();
        var provider = await FakeModelProvider.StartAsync(token);
        var files = new BusyboxHttpAgent();
        var agent = new LlmCallingAgent(client, files, provider, name);
        try
        {
            AgentFiles.WriteScript(Path.Combine(files.Root, "cgi-bin", "llm"), Script);
            await client.ApplyModelEndpointAsync(
                new ModelEndpointSpec
                {
                    Name = agent.Endpoint,
                    BaseUrl = provider.OpenAIBaseUrl,
                    Models = [new ModelEntry { Name = "gpt-4o-mini" }],
                    Prices = new Dictionary<string, ModelPrice> { ["gpt-4o-mini"] = new() { Input = 2.5m, CachedInput = 1.25m, Output = 10m } },
                },
                token);
            var spec = files.Spec(name);
            spec.Env = new Dictionary<string, string> { ["LLM_ENDPOINT"] = agent.Endpoint };
            spec.Access = new AccessSpec { Models = [agent.Endpoint] };
            await client.ApplyAgentAsync(spec, token);
            await client.WaitForAgentAsync(name, AgentState.Running, TestTimeouts.Slow, null, token);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Either may be missing when StartAsync failed before applying it.
            await IgnoreNotFoundAsync(ct => _client.RemoveAgentAsync(Name, TimeSpan.FromSeconds(30), ct));
            await IgnoreNotFoundAsync(ct => _client.DeleteModelEndpointAsync(Endpoint, ct));
        }
        finally
        {
            await _provider.DisposeAsync();
            _files.Dispose();
        }
    }

    private static async Task IgnoreNotFoundAsync(Func<CancellationToken, Task> remove)
    {
        try
        {
            await remove(TestTimeouts.Token());
        }
        catch (BerthApiException exception) when (exception.IsNotFound)
        {
        }
    }
}
