using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Client.Errors;
using Berth.Client.Logs;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Client;

/// <summary>
/// Typed client for Berth's REST API (<c>/api/v1</c>). Every failure answer becomes a
/// <see cref="BerthApiException"/> (a 404 included; check <see cref="BerthApiException.IsNotFound"/>),
/// and a server that cannot be reached becomes a <see cref="BerthUnavailableException"/>.
/// </summary>
public sealed partial class BerthClient : IDisposable
{
    private const string AgentsPath = "api/v1/agents";
    private const string TokensPath = "api/v1/tokens";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the server (the client does not dispose it).</summary>
    public BerthClient(HttpClient httpClient, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress pointing at the Berth server, for example http://127.0.0.1:2378/.", nameof(httpClient));
        }

        _http = httpClient;
        _time = timeProvider ?? TimeProvider.System;
        BaseAddress = WithTrailingSlash(httpClient.BaseAddress);
        if (_http.BaseAddress != BaseAddress)
        {
            _http.BaseAddress = BaseAddress;
        }
    }

    /// <summary>Creates a client that owns its own <see cref="HttpClient"/> for the server at <paramref name="server"/> (default <see cref="DefaultAddress"/>).</summary>
    public BerthClient(Uri? server = null, TimeProvider? timeProvider = null)
        : this(new HttpClient { BaseAddress = server ?? DefaultAddress }, timeProvider) => _ownsHttp = true;

    /// <summary>
    /// Creates a client that owns an <see cref="HttpClient"/> over <paramref name="handler"/> (disposed with the client),
    /// for example one from <see cref="Tls.ServerCertificateTrust.CreateHandler"/> for a server with a private CA.
    /// </summary>
    public BerthClient(Uri server, HttpMessageHandler handler, TimeProvider? timeProvider = null)
        : this(new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler))) { BaseAddress = server }, timeProvider) => _ownsHttp = true;

    /// <summary>Where a Berth server listens unless told otherwise: <c>http://127.0.0.1:2378/</c>.</summary>
    public static Uri DefaultAddress { get; } = new("http://127.0.0.1:2378/");

    /// <summary>The server's address, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How often <see cref="WaitForAgentAsync(string, Func{AgentView, bool}, TimeSpan, IProgress{AgentView}?, CancellationToken)"/> polls. Default 300ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The bearer token sent as <c>Authorization: Bearer …</c> with every request (a request that already carries an
    /// Authorization header keeps it). Null sends none, which the server answers with 401 on every route but <c>/healthz</c>.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>Where an agent is called through the server's proxy: <c>{server}/agents/{name}/</c>.</summary>
    public Uri GetProxyAddress(string name) => new(BaseAddress, $"agents/{Escape(name)}/");

    /// <summary>Every agent, ordered by name.</summary>
    public async Task<IReadOnlyList<AgentView>> ListAgentsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<AgentView>>(HttpMethod.Get, AgentsPath, null, cancellationToken);

    /// <summary>One agent. Throws <see cref="BerthApiException"/> with status 404 when it is unknown.</summary>
    public Task<AgentView> GetAgentAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AgentView>(HttpMethod.Get, AgentPath(name), null, cancellationToken);

    /// <summary>Creates the agent or updates it to match <paramref name="spec"/>; the answer says whether it was created, updated or unchanged.</summary>
    public Task<ApplyResponse> ApplyAgentAsync(AgentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SendAsync<ApplyResponse>(HttpMethod.Put, AgentPath(spec.Name), JsonContent.Create(SpecDocuments.ToDocument(spec), BerthClientJson.TypeInfo<JsonObject>()), cancellationToken);
    }

    /// <summary>
    /// Removes the agent, letting the server wait up to <paramref name="wait"/> (default 30s) for its instances to be gone.
    /// <see cref="RemoveResponse.Completed"/> is false when removal goes on in the background.
    /// </summary>
    public Task<RemoveResponse> RemoveAgentAsync(string name, TimeSpan? wait, CancellationToken cancellationToken)
    {
        var waitText = Duration.Format(wait ?? TimeSpan.FromSeconds(30));
        return SendAsync<RemoveResponse>(HttpMethod.Delete, $"{AgentPath(name)}?wait={waitText}", null, cancellationToken);
    }

    /// <summary>Asks for the agent to run its replicas again after a stop.</summary>
    public Task<AgentView> StartAgentAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AgentView>(HttpMethod.Post, $"{AgentPath(name)}/start", null, cancellationToken);

    /// <summary>Asks for every instance of the agent to stop; the agent stays defined.</summary>
    public Task<AgentView> StopAgentAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AgentView>(HttpMethod.Post, $"{AgentPath(name)}/stop", null, cancellationToken);

    /// <summary>Replaces every instance of the agent with a fresh one.</summary>
    public Task<AgentView> RestartAgentAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AgentView>(HttpMethod.Post, $"{AgentPath(name)}/restart", null, cancellationToken);

    /// <summary>The agent's events with an id greater than <paramref name="afterId"/>, oldest first, at most <paramref name="limit"/> (default 100).</summary>
    public async Task<IReadOnlyList<AgentEvent>> ListEventsAsync(string name, long afterId = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        await SendAsync<List<AgentEvent>>(HttpMethod.Get, $"{AgentPath(name)}/events?after={afterId}&limit={limit}", null, cancellationToken);

    /// <summary>The server's readiness report from <c>/readyz</c>; a server that is up but not ready still yields its report (status <c>not-ready</c>).</summary>
    public async Task<ServerInfo> GetServerInfoAsync(CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, "readyz"), HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable || !IsJson(response))
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }

        return await ReadJsonAsync<ServerInfo>(response, cancellationToken);
    }

    /// <summary>
    /// Log lines of every instance of the agent as the server streams them (newline-delimited JSON), yielded as they arrive.
    /// With <see cref="LogStreamOptions.Follow"/> the sequence ends only when cancelled or when the server closes the stream.
    /// </summary>
    public async IAsyncEnumerable<LogEntry> StreamLogsAsync(string name, LogStreamOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (options?.Tail is { } tail)
        {
            query.Add($"tail={tail}");
        }

        if (!string.IsNullOrWhiteSpace(options?.Since))
        {
            query.Add($"since={Uri.EscapeDataString(options.Since)}");
        }

        if (options?.Follow == true)
        {
            query.Add("follow=true");
        }

        var path = $"{AgentPath(name)}/logs" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        while (await ReadLineAsync(reader, cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return JsonSerializer.Deserialize(line, BerthClientJson.TypeInfo<LogEntry>())
                ?? throw new JsonException($"The server sent an empty log entry for agent '{name}'.");
        }
    }

    /// <summary>
    /// Polls the agent every <see cref="PollInterval"/> until <paramref name="until"/> holds, reporting each view to <paramref name="progress"/>.
    /// Returns the view that satisfied it; throws <see cref="TimeoutException"/> (naming the last state seen) after <paramref name="timeout"/>.
    /// </summary>
    public async Task<AgentView> WaitForAgentAsync(
        string name, Func<AgentView, bool> until, TimeSpan timeout, IProgress<AgentView>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(until);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        AgentView? last = null;
        try
        {
            while (true)
            {
                last = await GetAgentAsync(name, linked.Token);
                progress?.Report(last);
                if (until(last))
                {
                    return last;
                }

                await Task.Delay(PollInterval, _time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seen = last is null ? "no answer yet" : $"it is {Kebab(last.State)} with {last.ReadyReplicas}/{last.Replicas} ready";
            throw new TimeoutException($"agent '{name}' did not get there within {Duration.Format(timeout)}: {seen}");
        }
    }

    /// <summary>
    /// Waits until the agent is in <paramref name="state"/> (for <see cref="AgentState.Running"/>: with every replica ready).
    /// Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public Task<AgentView> WaitForAgentAsync(string name, AgentState state, TimeSpan timeout, IProgress<AgentView>? progress, CancellationToken cancellationToken) =>
        WaitForAgentAsync(
            name,
            view => view.State == state && (state != AgentState.Running || view.ReadyReplicas >= view.Replicas),
            timeout,
            progress,
            cancellationToken);

    /// <summary>
    /// Sends a request to an agent through the server's proxy (<c>/agents/{name}/{path}</c>) and returns
    /// the agent's answer as it is, whatever its status; the caller disposes it. The body is not buffered,
    /// so streamed answers can be read as they arrive.
    /// </summary>
    public async Task<HttpResponseMessage> CallAgentAsync(string name, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var relative = request.RequestUri?.OriginalString.TrimStart('/') ?? string.Empty;
        request.RequestUri = new Uri(GetProxyAddress(name), relative);
        return await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Creates a token (admin only). The answer holds the token itself, which the server shows this once.</summary>
    public Task<CreatedToken> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<CreatedToken>(HttpMethod.Post, TokensPath, JsonContent.Create(request, BerthClientJson.TypeInfo<CreateTokenRequest>()), cancellationToken);
    }

    /// <summary>Every token the server knows, revoked and expired ones included (admin only); never the tokens themselves.</summary>
    public async Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<TokenView>>(HttpMethod.Get, TokensPath, null, cancellationToken);

    /// <summary>Revokes the token with <paramref name="id"/> (admin only); it stops working at once. Revoking twice is fine; an unknown id is a 404.</summary>
    public Task<TokenView> RevokeTokenAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return SendAsync<TokenView>(HttpMethod.Delete, $"{TokensPath}/{Escape(id)}", null, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadJsonAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (Token is { } token && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new BerthUnavailableException(BaseAddress, exception);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemReader.ReadAsync(response, cancellationToken);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(BerthClientJson.TypeInfo<T>(), cancellationToken)
            ?? throw new JsonException($"The server answered {response.RequestMessage?.RequestUri} with an empty body where {typeof(T).Name} was expected.");

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (IOException exception) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelling a pending read tears the connection down, which can surface as "response ended".
            throw new OperationCanceledException("Reading the log stream was cancelled.", exception, cancellationToken);
        }
    }

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    private static string AgentPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{AgentsPath}/{Escape(name)}";
    }

    private static string Escape(string name) => Uri.EscapeDataString(name);

    private static string Kebab(AgentState state) => JsonSerializer.Serialize(state, BerthClientJson.TypeInfo<AgentState>()).Trim('"');

    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
