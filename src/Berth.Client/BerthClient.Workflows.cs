using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Specs;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;

namespace Berth.Client;

/// <summary>The <c>/api/v1/workflows</c>, <c>/api/v1/runs</c> and <c>/api/v1/circuits</c> routes: workflows, their runs and step circuit breakers.</summary>
public sealed partial class BerthClient
{
    private const string WorkflowsPath = "api/v1/workflows";
    private const string RunsPath = "api/v1/runs";
    private const string CircuitsPath = "api/v1/circuits";

    /// <summary>
    /// Creates the workflow or updates it to match <paramref name="spec"/>; the answer says whether it was created, updated or unchanged.
    /// An invalid spec is a 400 <see cref="Errors.BerthApiException"/> listing every error.
    /// </summary>
    public Task<WorkflowApplyResponse> ApplyWorkflowAsync(WorkflowSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SendAsync<WorkflowApplyResponse>(HttpMethod.Put, WorkflowPath(spec.Name), JsonContent.Create(SpecDocuments.ToDocument(spec), BerthClientJson.TypeInfo<JsonObject>()), cancellationToken);
    }

    /// <summary>One applied workflow; a 404 <see cref="Errors.BerthApiException"/> when it is unknown.</summary>
    public Task<WorkflowRecord> GetWorkflowAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<WorkflowRecord>(HttpMethod.Get, WorkflowPath(name), null, cancellationToken);

    /// <summary>Every applied workflow.</summary>
    public async Task<IReadOnlyList<WorkflowRecord>> ListWorkflowsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<WorkflowRecord>>(HttpMethod.Get, WorkflowsPath, null, cancellationToken);

    /// <summary>Deletes the workflow; a 404 <see cref="Errors.BerthApiException"/> when it is unknown.</summary>
    public async Task DeleteWorkflowAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, WorkflowPath(name));
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// Starts a run of the workflow with <paramref name="inputs"/> (null: the defaults) and returns it as queued.
    /// Inputs the workflow does not accept are a 422 <see cref="Errors.BerthApiException"/> naming each one.
    /// </summary>
    public Task<RunView> StartRunAsync(string workflow, JsonObject? inputs, CancellationToken cancellationToken)
    {
        var body = new StartRunRequest { Inputs = inputs };
        return SendAsync<RunView>(HttpMethod.Post, $"{WorkflowPath(workflow)}/runs", JsonContent.Create(body, BerthClientJson.TypeInfo<StartRunRequest>()), cancellationToken);
    }

    /// <summary>One run with every step; a 404 <see cref="Errors.BerthApiException"/> when it is unknown.</summary>
    public Task<RunView> GetRunAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<RunView>(HttpMethod.Get, RunPath(id), null, cancellationToken);

    /// <summary>
    /// Runs, newest first, with step counts but without steps. <paramref name="workflow"/> and <paramref name="state"/> filter exactly;
    /// <paramref name="limit"/> caps the count (null: the server's default).
    /// </summary>
    public async Task<IReadOnlyList<RunView>> ListRunsAsync(
        string? workflow = null, RunState? state = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(workflow))
        {
            query.Add($"workflow={Escape(workflow)}");
        }

        if (state is { } wanted)
        {
            query.Add($"state={JsonSerializer.Serialize(wanted, BerthClientJson.TypeInfo<RunState>()).Trim('"')}");
        }

        if (limit is { } count)
        {
            query.Add($"limit={count.ToString(CultureInfo.InvariantCulture)}");
        }

        var path = query.Count == 0 ? RunsPath : $"{RunsPath}?{string.Join('&', query)}";
        return await SendAsync<List<RunView>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>Cancels the run: running steps are stopped and the rest never start. A run already finished is a 409 <see cref="Errors.BerthApiException"/>.</summary>
    public Task<RunView> CancelRunAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<RunView>(HttpMethod.Post, $"{RunPath(id)}/cancel", null, cancellationToken);

    /// <summary>
    /// The run's progress events with a sequence greater than <paramref name="after"/> (default 0: from the start), read from the server's
    /// event stream as they arrive. With <paramref name="follow"/> (the default) the sequence ends after the run's final event
    /// (<c>run.succeeded</c>, <c>run.failed</c> or <c>run.cancelled</c>); without it, after the events stored so far.
    /// A dropped connection ends the sequence too; resume by passing the last <see cref="RunEvent.Sequence"/> seen.
    /// </summary>
    public async IAsyncEnumerable<RunEvent> StreamRunEventsAsync(
        string id, long after = 0, bool follow = true, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = $"{RunPath(id)}/events?after={after.ToString(CultureInfo.InvariantCulture)}&follow={(follow ? "true" : "false")}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var parser = SseParser.Create(stream, (_, data) => JsonSerializer.Deserialize(data, BerthClientJson.TypeInfo<RunEvent>())
            ?? throw new JsonException($"The server sent an empty event for run '{id}'."));
        await using var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await MoveNextAsync(events, cancellationToken))
        {
            var runEvent = events.Current.Data;
            yield return runEvent.Sequence == 0 && long.TryParse(events.Current.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                ? runEvent with { Sequence = sequence }
                : runEvent;
        }
    }

    /// <summary>Why a step of a run hit or missed the cache, naming each part that differs from the closest earlier entry.</summary>
    public Task<CacheExplanation> ExplainStepAsync(string runId, string stepId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        return SendAsync<CacheExplanation>(HttpMethod.Get, $"{RunPath(runId)}/steps/{Escape(stepId)}/explain", null, cancellationToken);
    }

    /// <summary>The circuit breaker of every step target the server has called.</summary>
    public async Task<IReadOnlyList<CircuitView>> ListCircuitsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<CircuitView>>(HttpMethod.Get, CircuitsPath, null, cancellationToken);

    private static async Task<bool> MoveNextAsync(IAsyncEnumerator<SseItem<RunEvent>> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (IOException exception) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelling a pending read tears the connection down, which can surface as "response ended".
            throw new OperationCanceledException("Reading the run's events was cancelled.", exception, cancellationToken);
        }
    }

    private static string WorkflowPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{WorkflowsPath}/{Escape(name)}";
    }

    private static string RunPath(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return $"{RunsPath}/{Escape(id)}";
    }
}
