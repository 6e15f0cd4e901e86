using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Plugins;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Server.Plugins.Contract;
using Berth.Server.Plugins.Pools;
using Berth.Server.Secrets;
using Berth.Server.Workflows.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Berth.Server.Plugins.Execution;

/// <summary>
/// Calls an installed plugin: finds the version a reference names, checks the inputs against its schema, sends
/// <c>POST /execute</c> to a free instance of its warm pool, checks the outputs, and records the invocation through
/// <see cref="PluginInvocationLog"/> (never its inputs or outputs, which may hold secrets). Each attempt has a deadline, the plugin's <c>api.timeout</c> or the caller's shorter
/// one, which covers waiting for an instance. Transient failures and timeouts are retried by the plugin's <c>retry</c>
/// (default three attempts, backoff from 200ms), on another instance when there is one, unless the caller retries itself.
/// Every attempt goes through the version's circuit breaker (<c>plugin:ID@VERSION</c>, the one capability routing reads);
/// an open breaker fails the call at once.
/// </summary>
internal sealed partial class PluginInvoker(
    PluginCatalog catalog,
    IPluginStore store,
    PluginInvocationLog invocations,
    PluginPools pools,
    PluginPoolLeases leases,
    PluginEndpointClient client,
    CircuitBreakers breakers,
    SecretRedactor redactor,
    IOptions<PluginOptions> options,
    TimeProvider time,
    ILogger<PluginInvoker> logger)
{
    private static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, ResiliencePipeline> _retrying = new(StringComparer.Ordinal);

    /// <summary>
    /// Calls the plugin <paramref name="reference"/> names (<c>id</c>, <c>id@1.2.0</c> or <c>id@^1</c>; the newest installed
    /// version that matches) with <paramref name="inputs"/>.
    /// </summary>
    /// <exception cref="PluginCallException">The call failed; its class says how (and whether a retry may help).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> ended the call (it is recorded as cancelled).</exception>
    public async Task<PluginCallResult> InvokeAsync(string reference, JsonObject inputs, PluginCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(caller);
        var plugin = await ResolveAsync(reference, cancellationToken);
        var started = time.GetTimestamp();
        var call = new PluginCall(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), plugin, caller, time.GetUtcNow());
        using var activity = Observability.BerthTelemetry.Source.StartActivity($"execute_tool {plugin.Reference}", System.Diagnostics.ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", plugin.Reference);
        activity?.SetTag("gen_ai.tool.call.id", call.Id);
        activity?.SetTag("berth.plugin", plugin.Reference);
        try
        {
            var schemas = SchemasOf(call);
            CheckInputs(call, schemas, inputs);
            var outputs = await SendAsync(call, schemas, inputs, cancellationToken);
            var result = new PluginCallResult(call.Id, plugin, outputs, call.Attempts, time.GetElapsedTime(started));
            await RecordAsync(call, result.Duration, null, null);
            return result;
        }
        catch (PluginCallException ex)
        {
            ex.Attempts = call.Attempts;
            var errorClass = ex.PluginErrorClass ?? NameOf(ex.Class);
            activity?.SetTag("berth.error_class", errorClass);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, errorClass);
            LogFailed(plugin.Reference, call.Id, errorClass, call.Attempts);
            await RecordAsync(call, time.GetElapsedTime(started), errorClass, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(call, time.GetElapsedTime(started), NameOf(ErrorClass.Cancelled), "the caller cancelled the call");
            throw;
        }
    }

    /// <summary>The error class as invocations and answers spell it: <c>transient</c>, <c>circuit-open</c>.</summary>
    public static string NameOf(ErrorClass errorClass) => JsonNamingPolicy.KebabCaseLower.ConvertName(errorClass.ToString());

    /// <summary>The installed version <paramref name="reference"/> names (the newest that matches a range).</summary>
    /// <exception cref="PluginCallException">A malformed reference, or nothing installed matches it (class <c>config</c>, naming the installed versions).</exception>
    public async Task<PluginRecord> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        if (!PluginReference.TryParse(reference, out var parsed, out var error))
        {
            throw new PluginCallException(ErrorClass.Config, $"'{Printable(reference)}' is not a plugin reference: {error}", null) { Failure = PluginCallFailure.InvalidReference };
        }

        if (await catalog.ResolveAsync(parsed!, cancellationToken) is { } plugin)
        {
            return plugin;
        }

        var installed = PluginViewsOrder(await store.ListAsync(parsed!.Id, cancellationToken));
        var message = installed.Count == 0
            ? $"plugin '{parsed!.Id}' is not installed; install it with 'berth plugins install DIR' (see 'berth plugins ls')"
            : $"no installed version of plugin '{parsed!.Id}' matches '{parsed}'; installed: {string.Join(", ", installed)}";
        throw new PluginCallException(ErrorClass.Config, message, null) { Failure = PluginCallFailure.NotInstalled };
    }

    private PluginSchemas SchemasOf(PluginCall call)
    {
        try
        {
            return catalog.SchemasOf(call.Plugin);
        }
        catch (PluginSchemaException ex)
        {
            throw call.Fail(ErrorClass.Config, PluginCallFailure.BadAnswer, $"{call.Plugin.Reference} has a schema that does not build: {ex.Message}", inner: ex);
        }
    }

    private void CheckInputs(PluginCall call, PluginSchemas schemas, JsonObject inputs)
    {
        var size = Encoding.UTF8.GetByteCount(inputs.ToJsonString());
        var limit = options.Value.MaxPayloadBytes;
        if (size > limit)
        {
            var problem = $"inputs: {size} bytes, more than the {limit} a call may carry (Berth:Plugins:MaxPayloadBytes)";
            throw call.Fail(ErrorClass.User, PluginCallFailure.InvalidInputs, problem, errors: [problem]);
        }

        var problems = schemas.CheckInputs(inputs);
        if (problems.Count > 0)
        {
            throw call.Fail(ErrorClass.User, PluginCallFailure.InvalidInputs,
                $"the inputs do not match the input schema of {call.Plugin.Reference}: {string.Join("; ", problems)}", errors: problems);
        }
    }

    private async Task<JsonObject> SendAsync(PluginCall call, PluginSchemas schemas, JsonObject inputs, CancellationToken cancellationToken)
    {
        var provider = $"plugin:{call.Plugin.Reference}";
        if (breakers.StateOf(provider) is CircuitState.Open or CircuitState.Isolated)
        {
            throw BreakerOpen(call, provider, null);
        }

        var pipeline = call.Caller.Retry ? Retrying(call.Plugin, provider) : breakers.For(provider);
        try
        {
            return await pipeline.ExecuteAsync(
                static (state, token) => state.Self.AttemptAsync(state.Call, state.Schemas, state.Inputs, token),
                (Self: this, Call: call, Schemas: schemas, Inputs: inputs),
                cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            throw BreakerOpen(call, provider, ex);
        }
    }

    private async ValueTask<JsonObject> AttemptAsync(PluginCall call, PluginSchemas schemas, JsonObject inputs, CancellationToken cancellationToken)
    {
        call.Attempts++;
        var plugin = call.Plugin;
        var (limit, whose) = LimitOf(plugin, call.Caller);
        var deadlineAt = time.GetUtcNow() + limit;
        using var deadline = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        PluginLease? lease = null;
        try
        {
            lease = await leases.AcquireAsync(plugin, call.LastEndpoint, linked.Token)
                ?? throw call.Fail(ErrorClass.Config, PluginCallFailure.NotInstalled, $"{plugin.Reference} was removed during the call");
            (call.LastEndpoint, call.InstanceId) = (lease.Endpoint, lease.InstanceId);
            var context = new ExecuteContext(call.Id, call.Caller.RunId, call.Caller.StepId, deadlineAt);
            var answer = await client.ExecuteAsync(lease.Endpoint, plugin.Spec.Api, inputs, context, linked.Token);
            return PluginAnswers.OutputsOf(answer, schemas, call);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw lease is null
                ? call.Fail(ErrorClass.Transient, PluginCallFailure.Unavailable,
                    $"no instance of {plugin.Reference} was healthy and free within {Duration.Format(limit)} ({whose}): {DescribePool(plugin)}", inner: ex)
                : call.Fail(ErrorClass.Timeout, PluginCallFailure.Timeout, $"{plugin.Reference} did not answer within {Duration.Format(limit)} ({whose})", inner: ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw call.Fail(ErrorClass.Transient, PluginCallFailure.Unreachable,
                $"{plugin.Reference} could not be reached (instance {lease?.InstanceId ?? lease?.Endpoint.Authority}): {ex.Message}", inner: ex);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>Retries by the plugin's <c>retry</c> around its breaker, built once per installed version.</summary>
    private ResiliencePipeline Retrying(PluginRecord plugin, string provider) => _retrying.GetOrAdd($"{provider}\0{plugin.Digest}", _ =>
    {
        var retry = plugin.Spec.Retry ?? new StepRetrySpec { InitialDelay = DefaultInitialDelay };
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (retry.MaxAttempts > 1)
        {
            // Waiting for an instance already took a whole deadline, and a removed version will not come back.
            builder.AddRetry(StepRetryOptions.For(retry, retry.MaxAttempts - 1, ex => ex is PluginCallException call
                && call.Failure is not (PluginCallFailure.Unavailable or PluginCallFailure.NotInstalled) && retry.On.Contains(call.Class)));
        }

        return builder.AddPipeline(breakers.For(provider)).Build();
    });

    private static (TimeSpan Limit, string Whose) LimitOf(PluginRecord plugin, PluginCaller caller)
    {
        var api = plugin.Spec.Api.Timeout;
        return caller.Timeout is { } shorter && shorter > TimeSpan.Zero && shorter < api
            ? (shorter, "the caller's timeout")
            : (api, "the plugin's api.timeout");
    }

    private static PluginCallException BreakerOpen(PluginCall call, string provider, Exception? inner) =>
        call.Fail(ErrorClass.CircuitOpen, PluginCallFailure.BreakerOpen,
            $"{call.Plugin.Reference} was not called: its circuit breaker ({provider}) is open after repeated failures; it lets a call through again after the break", inner: inner);

    private string DescribePool(PluginRecord plugin)
    {
        var route = pools.Route(plugin);
        var healthy = route?.Healthy.Count ?? 0;
        return $"its pool runs {healthy} healthy of {pools.ReplicasOf(plugin)} wanted instance(s), {plugin.Spec.Pool.MaxInstances} at most, " +
            $"{plugin.Spec.Pool.Concurrency} call(s) each; see 'berth plugins describe {plugin.Id}'";
    }

    private async Task RecordAsync(PluginCall call, TimeSpan duration, string? errorClass, string? message)
    {
        var invocation = new PluginInvocation
        {
            Id = call.Id,
            PluginId = call.Plugin.Id,
            Version = call.Plugin.Version,
            Caller = call.Caller.Caller,
            RunId = call.Caller.RunId,
            StepId = call.Caller.StepId,
            InstanceId = call.InstanceId,
            StartedAt = call.StartedAt,
            Duration = duration,
            Outcome = errorClass is null ? PluginOutcome.Succeeded : PluginOutcome.Failed,
            ErrorClass = errorClass,
            Message = redactor.Redact(message),
        };

        // Recorded even when the caller has gone: the call happened.
        PluginMetrics.RecordCall(call.Plugin.Reference, errorClass, duration);
        await invocations.AddAsync(invocation, CancellationToken.None);
    }

    private static List<string> PluginViewsOrder(IReadOnlyList<PluginRecord> installed) =>
        [.. Api.PluginViews.Newest(installed).Select(p => p.Version)];

    private static string Printable(string? text) =>
        text is null ? "" : new string([.. text.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin {Plugin} invocation {InvocationId} failed ({ErrorClass}) after {Attempts} attempt(s)")]
    private partial void LogFailed(string plugin, string invocationId, string errorClass, int attempts);
}
