using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Runs;
using Berth.Server.Capabilities;
using Berth.Server.Proxy;
using Berth.Server.Reconciliation;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Berth.Server.Workflows.Caching;
using Berth.Server.Workflows.Engine;

namespace Berth.Server.Workflows.Steps;

/// <summary>
/// Agent steps: one HTTP call to a healthy instance of a deployed agent over the proxy's connection pool. 5xx, 408, 429 and
/// unreachable agents are <c>transient</c>; other 4xx are <c>user</c>; the JSON answer becomes <c>body</c>. A step that asks for a
/// capability is routed anew on each attempt by <see cref="CapabilityRouter"/> (failing over between the agents that declare
/// it), logs each failover and the provider that served, and records that provider in its outputs (<c>provider</c>).
/// </summary>
internal sealed class AgentStepAction(
    IAgentStore agents, InstanceDirectory directory, AgentConnections connections, ISecretResolver secrets, SecretRedactor redactor, CacheKeyBuilder keys,
    CapabilityRegistry capabilities, CapabilityRouter router, AgentIdentities identities)
{
    /// <summary>
    /// The header that carries the token Berth mints for the step's call: the called agent's identity naming the run and step,
    /// for the agent to use as its key on the LLM gateway during this call, so its LLM calls count towards the run.
    /// </summary>
    public const string RunTokenHeader = "Berth-Run-Token";

    // A minted token outlives its call only if the server dies before deleting it; then it expires.
    private static readonly TimeSpan RunTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>Answers longer than this fail the step: outputs are stored with the run.</summary>
    public const int MaxAnswerBytes = 4 << 20;

    private const int LogTailChars = 2_000;

    public async Task<PreparedStep> PrepareAsync(StepUnit unit, CancellationToken cancellationToken)
    {
        var spec = unit.Step.Agent ?? throw new InvalidOperationException($"step '{unit.Step.Id}' has no agent section");
        var scope = unit.Scope;
        var method = Text(spec.Method, scope).ToUpperInvariant();
        var path = Text(spec.Path, scope);
        RequestText.CheckMethod(method);
        RequestText.CheckPath(path);
        if (!path.StartsWith('/'))
        {
            throw new StepRunException(ErrorClass.Config, $"agent.path must be a path on the agent starting with '/', but it evaluated to '{path}'");
        }

        var headers = (await secrets.ResolveAsync(spec.Headers, cancellationToken))
            .ToDictionary(h => h.Key, h => Text(h.Value, scope), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            RequestText.CheckHeader(name, value);
        }
        var body = spec.Body is null ? null : JsonTemplates.Evaluate(spec.Body, scope)?.ToJsonString();
        if (spec.Capability is { } capability)
        {
            // Each attempt routes again; the providers' own breakers guard them, so the step has no single target to break on.
            var providers = await capabilities.FindAsync(capability, cancellationToken);
            if (!providers.Any(p => p.Kind == CapabilityProvider.AgentKind))
            {
                throw new StepRunException(ErrorClass.Config, CapabilityNotFoundException.For(capability, providers.Count > 0).Message);
            }

            var capabilityKey = unit.Step.Cache?.Enabled == true ? keys.Capability(capability, method, path, headers, body) : null;
            var routed = new AgentCall(capability, method, path, headers, body, unit.RunId, unit.Name);
            return new PreparedStep(null, capabilityKey, (attempt, ct) => CallCapabilityAsync(routed, attempt, ct));
        }

        if (await agents.GetAsync(spec.Name, cancellationToken) is null)
        {
            throw new StepRunException(ErrorClass.Config, $"agent '{spec.Name}' does not exist; deploy it first (berth apply -f AGENT.yaml)");
        }

        var key = unit.Step.Cache?.Enabled == true ? keys.Agent(spec.Name, method, path, headers, body) : null;
        var call = new AgentCall(spec.Name, method, path, headers, body, unit.RunId, unit.Name);
        return new PreparedStep($"agent:{spec.Name}", key, (_, ct) => CallAsync(call, ct));
    }

    private async Task<StepOutputs> CallCapabilityAsync(AgentCall call, StepAttempt attempt, CancellationToken cancellationToken)
    {
        var minted = new List<string>();
        try
        {
            RoutedResponse routed;
            try
            {
                routed = await router.SendAsync(
                    call.Agent, async (route, endpoint, ct) => await connections.SendAsync(await RequestAsync(call, route, endpoint, minted, ct), ct), attempt.Log, cancellationToken);
            }
            catch (CapabilityNotFoundException ex)
            {
                throw new StepRunException(ErrorClass.Config, ex.Message, ex);
            }
            catch (CapabilityUnavailableException ex)
            {
                throw new StepRunException(ex.AllCircuitsOpen ? ErrorClass.CircuitOpen : ErrorClass.Transient, ex.Message, ex);
            }

            using (routed)
            {
                attempt.Log($"capability '{call.Agent}' served by {routed.Provider}");
                try
                {
                    var outputs = await AnswerAsync(routed.Response, routed.Provider, cancellationToken);
                    return outputs with { Provider = routed.Provider };
                }
                catch (HttpRequestException ex)
                {
                    // The answer broke off after it was chosen: too late to fail over within this attempt, not too late to retry.
                    throw new StepRunException(ErrorClass.Transient, $"{routed.Provider} broke off its answer: {ex.Message}", ex);
                }
            }
        }
        finally
        {
            await ForgetAsync(minted);
        }
    }

    private async Task<StepOutputs> CallAsync(AgentCall call, CancellationToken cancellationToken)
    {
        var route = directory.Find(call.Agent);
        var endpoint = route?.Next()
            ?? throw new StepRunException(ErrorClass.Transient, $"agent '{call.Agent}' has no healthy instance right now (see berth describe {call.Agent})");
        using var inFlight = route.Enter(endpoint);
        var minted = new List<string>();
        try
        {
            using var request = await RequestAsync(call, route, endpoint, minted, cancellationToken);
            using var response = await connections.SendAsync(request, cancellationToken);
            return await AnswerAsync(response, $"agent '{call.Agent}'", cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new StepRunException(ErrorClass.Transient, $"agent '{call.Agent}' could not be reached at {endpoint.Authority}: {ex.Message}", ex);
        }
        finally
        {
            await ForgetAsync(minted);
        }
    }

    /// <summary>The request, carrying a token minted for this call (see <see cref="RunTokenHeader"/>), whose id joins <paramref name="minted"/>.</summary>
    private async Task<HttpRequestMessage> RequestAsync(AgentCall call, AgentRoute route, Uri endpoint, List<string> minted, CancellationToken cancellationToken)
    {
        var (token, id) = await identities.MintStepTokenAsync(route.AgentName, call.RunId, call.Step, RunTokenLifetime, cancellationToken);
        minted.Add(id);

        var request = Request(call, route, endpoint);
        request.Headers.TryAddWithoutValidation(RunTokenHeader, token);
        return request;
    }

    private async Task ForgetAsync(List<string> minted)
    {
        foreach (var id in minted)
        {
            await identities.ForgetStepTokenAsync(id, CancellationToken.None);
        }
    }

    private static HttpRequestMessage Request(AgentCall call, AgentRoute route, Uri endpoint)
    {
        var request = AgentConnections.CreateRequest(call.Method, endpoint, call.Path, route.Protocol);
        if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in call.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Berth-Run-Id", call.RunId);
        request.Headers.TryAddWithoutValidation("Berth-Step", call.Step);
        return request;
    }

    /// <summary>The step's outputs from <paramref name="who"/>'s answer (<c>agent 'NAME'</c> or <c>agent:NAME</c>), or its classified failure.</summary>
    private async Task<StepOutputs> AnswerAsync(HttpResponseMessage response, string who, CancellationToken cancellationToken)
    {
        // The answer is stored with the run and shown by the API, so a secret in it is redacted like in logs.
        var text = redactor.Redact(await ReadAsync(response.Content, who, cancellationToken))!;
        var status = (int)response.StatusCode;
        if (status >= 400)
        {
            var transient = CapabilityRouter.IsTransient(response.StatusCode);
            throw new StepRunException(transient ? ErrorClass.Transient : ErrorClass.User, $"{who} answered {status} {response.ReasonPhrase}")
            {
                LogTail = text.Length > LogTailChars ? text[^LogTailChars..] : text,
            };
        }

        // The text was redacted, but parsing decodes escapes (\u002B, \") a secret may have been written with.
        return new StepOutputs { Status = status, Body = redactor.Redact(Parse(text, response.Content.Headers.ContentType)) };
    }

    private static async Task<string> ReadAsync(HttpContent content, string who, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new StepRunException(ErrorClass.User, $"{who} answered with more than {MaxAnswerBytes >> 20} MiB; a step's answer is stored with the run, so keep it smaller");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The answer as JSON when it is JSON (whatever the content type says); otherwise a JSON string holding the text.</summary>
    private static JsonNode? Parse(string text, MediaTypeHeaderValue? contentType)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException) when (contentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return JsonValue.Create(text);
        }
        catch (JsonException ex)
        {
            throw new StepRunException(ErrorClass.User, $"the agent said its answer is JSON but it is not: {ex.Message}");
        }
    }

    private static string Text(string template, ExpressionScope scope) => Template.Parse(template).EvaluateText(scope);

    /// <param name="Agent">The agent's name, or for a capability step the capability's.</param>
    private sealed record AgentCall(string Agent, string Method, string Path, IReadOnlyDictionary<string, string> Headers, string? Body, string RunId, string Step);
}
