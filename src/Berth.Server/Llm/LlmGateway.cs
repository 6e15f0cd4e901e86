using System.Collections.Frozen;
using System.Diagnostics;
using Berth.Core.Llm;
using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Server.Limits;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Llm;

/// <summary>
/// Serves <c>/llm/{endpoint}/{provider path}</c>: checks that the caller may use the model asked for, records the call before
/// it goes out (a call that cannot be recorded is refused, never sent unmetered), sends it with the provider key through
/// <see cref="UpstreamSender"/>, passes the answer back as it arrives, and settles the record with the tokens the provider
/// reported and their cost.
/// </summary>
internal sealed partial class LlmGateway(
    ModelEndpointCatalog catalog,
    UpstreamSender sender,
    ILlmCallStore calls,
    AgentAccessCache access,
    EndpointLimiters limiters,
    LlmResponses responses,
    IOptions<RequestLimits> limits,
    TimeProvider time,
    ILogger<LlmGateway> logger)
{
    /// <summary>The response header that carries the call's id (as recorded, and as <c>berth usage</c> counts it).</summary>
    public const string CallHeader = "Berth-Llm-Call";

    /// <summary>The response header that names the endpoint that answered (another than the one called after a failover).</summary>
    public const string ServedByHeader = "Berth-Llm-Endpoint";

    public async Task HandleAsync(HttpContext context, string endpointName, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.RequestAborted;
        if (await catalog.FindAsync(endpointName, ct) is not { } endpoint)
        {
            await LlmProblems.EndpointNotFound(endpointName).ExecuteAsync(context);
            return;
        }

        var request = context.Request;
        if (LlmOperation.Find(endpoint.Provider, request.Method, path) is not { } operation)
        {
            await LlmProblems.PathNotServed(endpoint, request.Method, path).ExecuteAsync(context);
            return;
        }

        var caller = LlmCaller.From(context.User);
        var grants = caller.Agent is { } agent ? await access.ModelGrantsAsync(agent, ct) : null;
        bool MayUse(ModelEntry model) => grants is null || LlmCaller.IsGranted(grants, endpoint.Name, model);
        if (operation.IsLocal)
        {
            await LlmModelList.Answer(endpoint, MayUse).ExecuteAsync(context);
            return;
        }

        var max = (int)Math.Min(int.MaxValue, limits.Value.MaxRequestBodyBytes);
        if (await BoundedBody.ReadAsync(request, max, ct) is not { } bytes)
        {
            await Problems.Problems.PayloadTooLarge(context, max, "this server accepts", Problems.Problems.ChangeTheSetting("Berth:Limits:MaxRequestBodyBytes")).ExecuteAsync(context);
            return;
        }

        var (body, invalid) = LlmRequestBody.Parse(bytes, operation);
        if (body is null)
        {
            await Problems.Problems.BadRequest(invalid!).ExecuteAsync(context);
            return;
        }

        if (endpoint.FindModel(body.Model) is not { } model)
        {
            await LlmProblems.ModelNotListed(endpoint, body.Model).ExecuteAsync(context);
            return;
        }

        if (!MayUse(model))
        {
            await LlmProblems.ModelNotGranted(caller.Agent!, endpoint, model).ExecuteAsync(context);
            return;
        }

        await CallAsync(context, endpoint, operation, body, model, caller);
    }

    private async Task CallAsync(HttpContext context, ModelEndpointSpec endpoint, LlmOperation operation, LlmRequestBody body, ModelEntry model, LlmCaller caller)
    {
        var ct = context.RequestAborted;
        var started = time.GetTimestamp();
        var cacheKey = endpoint.Cache.Enabled && !body.Stream ? LlmResponses.KeyOf(endpoint, operation, body.For(endpoint.Provider, model)) : null;
        var cached = cacheKey is null ? null : await responses.FindAsync(cacheKey, ct);

        // An answer from the cache sends nothing upstream and costs nothing, so it counts against no limit and reserves nothing.
        var estimate = cached is null ? body.EstimatedTokens : 0;
        if (cached is null && limiters.Admit(context, endpoint, estimate) is { } limited)
        {
            await limited.ExecuteAsync(context);
            return;
        }

        var call = new LlmCallStart
        {
            Id = Guid.NewGuid().ToString("N"),
            StartedAt = time.GetUtcNow(),
            Endpoint = endpoint.Name,
            Provider = endpoint.Provider,
            Operation = operation.Name,
            Model = body.Model,
            UpstreamModel = model.Name,
            Caller = caller.Name,
            Agent = caller.Agent,
            TokenId = caller.TokenId,
            RunId = caller.RunId,
            StepId = caller.StepId,
            Streamed = body.Stream,
            ReservedTokens = estimate,
            ReservedNanos = new TokenUsage(estimate, 0, 0).CostNanos(Costliest(endpoint.PriceOf(model))),
        };
        BudgetRefusal? refusal;
        try
        {
            refusal = await calls.RecordStartAsync(call, ct);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogUnrecorded(exception, endpoint.Name);
            await LlmProblems.UsageUnrecorded(endpoint.Name).ExecuteAsync(context);
            return;
        }

        if (refusal is not null)
        {
            LogOverBudget(caller.Name, endpoint.Name, refusal.Status.Budget.Period, refusal.Status.Budget.Scope, refusal.Status.Budget.Name);
            await LlmProblems.OverBudget(context, refusal, time.GetUtcNow()).ExecuteAsync(context);
            return;
        }

        using var span = LlmMetrics.StartSpan(call);
        context.Response.Headers[CallHeader] = call.Id;
        LlmCallEnd end;
        try
        {
            end = cached is not null
                ? await responses.AnswerAsync(context, call, cached, started)
                : await ForwardAsync(context, call, endpoint, operation, body, model, started, cacheKey);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            end = new LlmCallEnd
            {
                Id = call.Id, FinishedAt = time.GetUtcNow(), Succeeded = false, Error = "the caller went away before an answer came",
                Latency = time.GetElapsedTime(started),
            };
        }

        LlmMetrics.Record(call, end, span);
        if (!ct.IsCancellationRequested)
        {
            // The caller has its whole answer now; it need not wait while the call is settled.
            await context.Response.CompleteAsync();
        }

        try
        {
            await calls.RecordEndAsync(end, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The call has happened; its reservation stays counted at its estimate, which is never less than it could cost.
            LogUnsettled(exception, call.Id, endpoint.Name);
        }
    }

    private async Task<LlmCallEnd> ForwardAsync(
        HttpContext context, LlmCallStart call, ModelEndpointSpec endpoint, LlmOperation operation, LlmRequestBody body, ModelEntry model, long started, string? cacheKey)
    {
        using var answer = await sender.SendAsync(endpoint, model, operation, body, context.Request, context.RequestAborted);
        var failovers = answer.Failovers.Count > 0 ? string.Join("; ", answer.Failovers) : null;
        if (answer.Response is not { } response || answer.ServedBy is not { } servedBy)
        {
            await LlmProblems.NoAnswer(endpoint.Name, answer.Failovers).ExecuteAsync(context);
            return new LlmCallEnd
            {
                Id = call.Id, FinishedAt = time.GetUtcNow(), Succeeded = false, Status = StatusCodes.Status502BadGateway, Attempts = answer.Attempts,
                Failovers = failovers, Error = "no provider answered", Latency = time.GetElapsedTime(started),
            };
        }

        if (failovers is not null)
        {
            LogFailover(call.Id, endpoint.Name, servedBy.Name, failovers);
        }

        context.Response.Headers[ServedByHeader] = servedBy.Name;
        if (cacheKey is not null)
        {
            context.Response.Headers[LlmResponses.CacheHeader] = "miss";
        }
        using var usage = new UsageReader(servedBy.Provider, LlmRelay.IsEventStream(response));
        var complete = await LlmRelay.CopyAsync(context, response, usage, context.RequestAborted);
        var status = (int)response.StatusCode;
        var tokens = usage.Usage;
        if (cacheKey is not null && complete && status == StatusCodes.Status200OK && usage.JsonBody is { } answered)
        {
            await responses.KeepAsync(cacheKey, endpoint, response.Content.Headers.ContentType?.ToString(), answered);
        }

        return new LlmCallEnd
        {
            Id = call.Id,
            FinishedAt = time.GetUtcNow(),
            Succeeded = complete && status < 400,
            ServedBy = servedBy.Name,
            Status = status,
            Attempts = answer.Attempts,
            Failovers = failovers,
            Error = !complete ? "the answer was cut short" : status >= 400 ? $"the provider answered {status}" : null,
            Usage = tokens,
            CostNanos = tokens.CostNanos(servedBy.PriceOf(answer.Model ?? model)),
            Latency = time.GetElapsedTime(started),
        };
    }

    // An estimate is priced as if every token were of the dearer kind, so a reservation never holds less than the call can cost.
    private static ModelPrice? Costliest(ModelPrice? price) =>
        price is null ? null : new ModelPrice { Input = Math.Max(price.Input, price.Output), Output = Math.Max(price.Input, price.Output) };

    [LoggerMessage(Level = LogLevel.Error, Message = "LLM call to {Endpoint} refused: it could not be recorded")]
    private partial void LogUnrecorded(Exception exception, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "LLM call {CallId} to {Endpoint} happened but its usage could not be recorded; it stays counted at its estimate")]
    private partial void LogUnsettled(Exception exception, string callId, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "LLM call of {Caller} to {Endpoint} refused: it would break the {Period} budget of {Scope} {BudgetOf}")]
    private partial void LogOverBudget(string caller, string endpoint, BudgetPeriod period, BudgetScope scope, string budgetOf);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM call {CallId} to {Endpoint} was answered by {ServedBy} after failing over: {Failovers}")]
    private partial void LogFailover(string callId, string endpoint, string servedBy, string failovers);
}
