using System.Text.Json.Nodes;
using Berth.Core.Plugins;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Runs;
using Berth.Server.Capabilities;
using Berth.Server.Plugins.Api;
using Berth.Server.Plugins.Execution;
using Berth.Server.Secrets;
using Berth.Server.Workflows.Caching;
using Berth.Server.Workflows.Engine;

namespace Berth.Server.Workflows.Steps;

/// <summary>
/// Plugin steps: one call through <see cref="PluginInvoker"/> to an installed plugin, named by id and version range (resolved
/// once, when the step is prepared, so every attempt and the cache key name the same version) or by a capability (routed on
/// each attempt by <see cref="PluginCapabilityRoute"/>). The invoker checks the inputs and outputs against the plugin's
/// schemas, records the invocation and guards each version with its breaker, so the step adds no breaker of its own; its
/// failures keep the invoker's error class, so <c>retry.on</c> and timeouts work as for agent steps. The outputs become
/// <c>outputs</c> (with <c>status</c> 200), and the version that served is the step's <c>provider</c>. A deterministic
/// plugin's step is cached like a container step.
/// </summary>
internal sealed class PluginStepAction(
    PluginInvoker invoker, CapabilityRegistry capabilities, IContainerStepRunner images, SecretRedactor redactor, CacheKeyBuilder keys)
{
    public async Task<PreparedStep> PrepareAsync(StepUnit unit, CancellationToken cancellationToken)
    {
        var spec = unit.Step.Plugin ?? throw new InvalidOperationException($"step '{unit.Step.Id}' has no plugin section");
        var inputs = JsonTemplates.Evaluate(spec.Inputs, unit.Scope) as JsonObject ?? [];
        var caller = new PluginCaller($"run:{unit.RunId}", unit.RunId, unit.Name)
        {
            // A step with its own retry policy retries through the engine, so its attempts and backoff show in the run.
            Retry = unit.Step.Retry is null,
            Timeout = unit.Step.Timeout,
        };
        var cache = unit.Step.Cache?.Enabled;
        if (spec.Capability is { } capability)
        {
            var route = await PluginCapabilityRoute.FindAsync(capabilities, capability, cancellationToken);
            var capabilityKey = cache == true ? keys.PluginCapability(capability, inputs) : null;
            return new PreparedStep(null, capabilityKey, (attempt, ct) => CallCapabilityAsync(route, inputs, caller, attempt, ct));
        }

        var plugin = await ResolveAsync(spec.Id!, cancellationToken);
        var deterministic = plugin.Spec.Deterministic;
        var key = (cache ?? deterministic) ? await KeyAsync(plugin, inputs, cancellationToken) : null;
        return new PreparedStep(null, key, (attempt, ct) => CallAsync(plugin.Reference, inputs, caller, attempt, ct), CachedByDefault: deterministic);
    }

    /// <summary>The installed version <paramref name="id"/> names, resolved as every plugin call resolves it; a failure keeps the invoker's <c>config</c> class and message.</summary>
    private async Task<PluginRecord> ResolveAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await invoker.ResolveAsync(id, cancellationToken);
        }
        catch (PluginCallException ex)
        {
            throw Failure(ex);
        }
    }

    /// <summary>
    /// The key of a call to <paramref name="plugin"/>, or null when the image it runs from cannot be pinned to an ID (its call
    /// will fail then, and no result must be stored under a key that a moved tag would still match).
    /// </summary>
    private async Task<StepCacheKey?> KeyAsync(PluginRecord plugin, JsonObject inputs, CancellationToken cancellationToken)
    {
        string? imageId = null;
        if (plugin.Spec is { Runtime: PluginRuntime.Container, Container.Image: { } image })
        {
            try
            {
                imageId = await images.ResolveImageAsync(image, cancellationToken);
            }
            catch (StepRunException)
            {
                return null;
            }
        }

        return keys.Plugin(plugin.Id, plugin.Version, plugin.Digest, imageId, inputs);
    }

    private async Task<StepOutputs> CallAsync(string reference, JsonObject inputs, PluginCaller caller, StepAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            return Outputs(await invoker.InvokeAsync(reference, (JsonObject)inputs.DeepClone(), caller, cancellationToken), attempt);
        }
        catch (PluginCallException ex)
        {
            throw Failure(ex);
        }
    }

    private async Task<StepOutputs> CallCapabilityAsync(
        PluginCapabilityRoute route, JsonObject inputs, PluginCaller caller, StepAttempt attempt, CancellationToken cancellationToken)
    {
        var result = await route.CallAsync(
            (provider, ct) => invoker.InvokeAsync(provider.Name, (JsonObject)inputs.DeepClone(), caller, ct), Failure, attempt.Log, cancellationToken);
        attempt.Log($"capability '{route.Capability}' served by {result.Provider}");
        return Outputs(result, attempt);
    }

    private StepOutputs Outputs(PluginCallResult result, StepAttempt attempt)
    {
        attempt.Log($"{result.Provider}: invocation {result.InvocationId} succeeded after {result.Attempts} attempt(s)");
        // The outputs are stored with the run and shown by the API, so a secret in them is redacted like in an agent's answer.
        var outputs = redactor.Redact(result.Outputs) as JsonObject ?? [];
        return new StepOutputs { Status = 200, PluginOutputs = outputs, Provider = result.Provider };
    }

    /// <summary>The invoker's failure as the step's: the same class, the message naming the invocation to look up.</summary>
    private static StepRunException Failure(PluginCallException exception) => new(
        exception.Class,
        exception.InvocationId is { } id ? $"{exception.Message} (invocation {id})" : exception.Message,
        exception);
}
