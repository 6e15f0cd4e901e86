using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Specs;
using Berth.Server.Plugins.Contract;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Plugins.Install;

/// <summary>
/// The plugin contract check, run before anything is registered: the schemas build and each example's inputs fit them; one
/// instance starts through the real runtime and gets healthy; <c>GET /health</c> answers <c>{"status":"healthy"}</c>; each
/// example through <c>/execute</c> succeeds with outputs valid against the output schema (and equal to the example's
/// outputs where given); <c>GET /metrics</c> is Prometheus text. The instance is removed afterwards, whatever happened.
/// </summary>
internal sealed partial class PluginContractCheck(PluginCheckInstance instance, PluginEndpointClient client, TimeProvider time, ILogger<PluginContractCheck> logger)
{
    /// <summary>Runs every check on the plugin unpacked in <paramref name="folder"/>; stops at the first failure except among the examples.</summary>
    public async Task<IReadOnlyList<PluginCheck>> RunAsync(PluginSpec spec, string folder, CancellationToken cancellationToken)
    {
        var checks = new List<PluginCheck>();
        PluginSchemas schemas;
        try
        {
            schemas = PluginSchemas.Build(spec.Inputs, spec.Outputs);
            checks.Add(Pass("schemas", $"inputs {(spec.Inputs is null ? "take any object" : "schema builds")}; outputs {(spec.Outputs is null ? "may be any object" : "schema builds")}"));
        }
        catch (PluginSchemaException ex)
        {
            checks.Add(Fail("schemas", ex.Message));
            return checks;
        }

        var misfits = spec.Examples.SelectMany((e, i) => schemas.CheckInputs(e.Inputs).Select(p => $"spec.examples[{i}].{p}")).ToList();
        checks.Add(misfits.Count == 0
            ? Pass("examples", spec.Examples.Count == 0 ? "no examples: /execute is not called; add examples so the check can call it" : $"{spec.Examples.Count} example(s) fit the input schema")
            : Fail("examples", $"examples that do not fit the input schema: {string.Join("; ", misfits)}"));
        if (misfits.Count > 0)
        {
            return checks;
        }

        LogStarting(logger, spec.Name, spec.Version);
        try
        {
            await instance.StartAsync(spec, folder, cancellationToken);
            var (endpoint, failure) = await instance.WaitHealthyAsync(spec, cancellationToken);
            if (failure is not null)
            {
                checks.Add(failure);
                return checks;
            }

            checks.Add(Pass("start", "one instance started and passed its health probe"));
            var health = await HealthAsync(spec, endpoint!, cancellationToken);
            checks.Add(health);
            if (!health.Passed)
            {
                return checks;
            }

            for (var i = 0; i < spec.Examples.Count; i++)
            {
                checks.Add(await ExecuteAsync(spec, schemas, i, endpoint!, cancellationToken));
            }

            if (checks.Any(c => !c.Passed))
            {
                return checks;
            }

            checks.Add(await MetricsAsync(endpoint!, cancellationToken));
            return checks;
        }
        finally
        {
            await instance.RemoveAsync(spec);
            var passed = checks.TrueForAll(c => c.Passed);
            LogFinished(logger, spec.Name, spec.Version, passed);
        }
    }

    private async Task<PluginCheck> HealthAsync(PluginSpec spec, Uri endpoint, CancellationToken cancellationToken)
    {
        var path = (spec.Runtime == PluginRuntime.Process ? spec.Process?.Health.Path : spec.Container?.Health.Path) ?? "/health";
        try
        {
            var (status, _, text) = await client.GetAsync(endpoint, path, cancellationToken);
            var answer = text is null ? null : TryParse(text);
            return status == 200 && answer?["status"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == "healthy"
                ? Pass("health", $"GET {path} answered {{\"status\":\"healthy\"}}")
                : Fail("health", $"GET {path} answered {status} {Shorten(text)}; expected 200 with {{\"status\": \"healthy\"}}");
        }
        catch (HttpRequestException ex)
        {
            return Fail("health", $"GET {path} failed: {Describe(ex)}");
        }
    }

    private async Task<PluginCheck> ExecuteAsync(PluginSpec spec, PluginSchemas schemas, int index, Uri endpoint, CancellationToken cancellationToken)
    {
        var name = $"execute[{index}]";
        var example = spec.Examples[index];
        var call = $"{spec.Api.Method} {spec.Api.Endpoint} with spec.examples[{index}].inputs";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(spec.Api.Timeout);
        ExecuteAnswer answer;
        try
        {
            var context = new ExecuteContext($"check-{Guid.NewGuid():N}", null, null, time.GetUtcNow() + spec.Api.Timeout);
            try
            {
                answer = await client.ExecuteAsync(endpoint, spec.Api, example.Inputs, context, timeout.Token);
            }
            catch (HttpRequestException)
            {
                // One more try, as a call's retries would: a pooled connection the plugin closed between calls is not the plugin's fault.
                answer = await client.ExecuteAsync(endpoint, spec.Api, example.Inputs, context, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(name, $"{call}: no answer within spec.api.timeout ({Duration.Format(spec.Api.Timeout)})");
        }
        catch (HttpRequestException ex)
        {
            return Fail(name, $"{call}: the call failed twice: {Describe(ex)}");
        }

        if (answer.Problem is not null)
        {
            return Fail(name, $"{call}: answered {answer.Status} but {answer.Problem}");
        }

        if (!answer.Success)
        {
            return Fail(name, $"{call}: the plugin reported a failure ({answer.ErrorClass}): {answer.ErrorMessage}");
        }

        var problems = schemas.CheckOutputs(answer.Outputs);
        if (problems.Count > 0)
        {
            return Fail(name, $"{call}: the outputs break the output schema: {string.Join("; ", problems)}");
        }

        var different = (example.Outputs ?? []).Where(p => !JsonNode.DeepEquals(p.Value, answer.Outputs![p.Key])).Select(p => $"outputs.{p.Key}: expected {p.Value?.ToJsonString() ?? "null"}, got {answer.Outputs![p.Key]?.ToJsonString() ?? "nothing"}").ToList();
        return different.Count == 0
            ? Pass(name, $"{call}: success, outputs {Shorten(answer.Outputs!.ToJsonString())}")
            : Fail(name, $"{call}: the outputs differ from spec.examples[{index}].outputs: {string.Join("; ", different)}");
    }

    private async Task<PluginCheck> MetricsAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        try
        {
            var (status, _, text) = await client.GetAsync(endpoint, "/metrics", cancellationToken);
            if (status != 200 || text is null)
            {
                return Fail("metrics", $"GET /metrics answered {status}{(text is null ? " with more than 1 MiB" : "")}; expected 200 with Prometheus text");
            }

            var (samples, problem) = PrometheusText.Parse(text);
            return problem is null
                ? Pass("metrics", $"GET /metrics is Prometheus text with {samples} sample(s)")
                : Fail("metrics", $"GET /metrics is not Prometheus text: {problem}");
        }
        catch (HttpRequestException ex)
        {
            return Fail("metrics", $"GET /metrics failed: {Describe(ex)}");
        }
    }

    private static string Describe(HttpRequestException ex) => ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string? text) =>
        text is null ? "(nothing)" : new string([.. (text.Length > 200 ? text[..200] + "…" : text).Select(c => char.IsControl(c) ? ' ' : c)]);

    private static PluginCheck Pass(string name, string message) => new() { Name = name, Passed = true, Message = message };

    private static PluginCheck Fail(string name, string message) => new() { Name = name, Passed = false, Message = message };

    [LoggerMessage(Level = LogLevel.Information, Message = "Contract check of plugin {PluginId}@{PluginVersion}: starting one instance")]
    private static partial void LogStarting(ILogger logger, string pluginId, string pluginVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contract check of plugin {PluginId}@{PluginVersion} finished: passed {Passed}")]
    private static partial void LogFinished(ILogger logger, string pluginId, string pluginVersion, bool passed);
}
