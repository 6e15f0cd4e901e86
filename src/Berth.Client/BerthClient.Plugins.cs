using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;

namespace Berth.Client;

/// <summary>The <c>/api/v1/plugins</c> routes: install and check plugin packages, list, describe and remove installed versions.</summary>
public sealed partial class BerthClient
{
    private const string PluginsPath = "api/v1/plugins";

    /// <summary>
    /// How long one call may take before the client gives up; default 100s. An install runs the contract check (a build, a
    /// start, every example), so raise it before the first call for packages that take longer.
    /// </summary>
    public TimeSpan Timeout
    {
        get => _http.Timeout;
        set => _http.Timeout = value;
    }

    /// <summary>
    /// Installs the plugin in <paramref name="package"/> (a .tar.gz of its folder) after the contract check; <paramref name="source"/>
    /// is kept with the version. A failed check is a 422 <see cref="Errors.BerthApiException"/> naming the check (nothing is
    /// installed); a version already installed is a 409; a package refused (a link, a path leaving its folder, too large) a 400.
    /// </summary>
    public Task<PluginInstallResponse> InstallPluginAsync(Stream package, string source, CancellationToken cancellationToken) =>
        SendAsync<PluginInstallResponse>(HttpMethod.Post, $"{PluginsPath}?source={Escape(source)}", Package(package), cancellationToken);

    /// <summary>Runs the contract check on <paramref name="package"/> without installing it; the report says whether it passed.</summary>
    public Task<PluginCheckReport> CheckPluginAsync(Stream package, CancellationToken cancellationToken) =>
        SendAsync<PluginCheckReport>(HttpMethod.Post, $"{PluginsPath}/check", Package(package), cancellationToken);

    /// <summary>Every installed plugin, one row each with its versions newest first.</summary>
    public async Task<IReadOnlyList<PluginSummary>> ListPluginsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<PluginSummary>>(HttpMethod.Get, PluginsPath, null, cancellationToken);

    /// <summary>An installed plugin with every version and its pool; a 404 <see cref="Errors.BerthApiException"/> when none is installed.</summary>
    public Task<PluginDetail> GetPluginAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return SendAsync<PluginDetail>(HttpMethod.Get, $"{PluginsPath}/{Escape(id)}", null, cancellationToken);
    }

    /// <summary>Removes one version, or every version when <paramref name="version"/> is null; a 404 when there was nothing to remove.</summary>
    public Task<PluginRemoveResponse> RemovePluginAsync(string id, string? version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var path = version is null ? $"{PluginsPath}/{Escape(id)}" : $"{PluginsPath}/{Escape(id)}/versions/{Escape(version)}";
        return SendAsync<PluginRemoveResponse>(HttpMethod.Delete, path, null, cancellationToken);
    }

    /// <summary>
    /// Calls the plugin <paramref name="reference"/> names (<c>id</c>, <c>id@1.2.0</c>, <c>id@^1</c>) with <paramref name="inputs"/>.
    /// Failures are <see cref="Errors.BerthApiException"/>s: 404 not installed, 422 inputs that break the schema, 502 the plugin
    /// failed, 503 no instance or an open breaker, 504 out of time, 413 inputs too large.
    /// </summary>
    public Task<PluginInvokeResponse> InvokePluginAsync(string reference, JsonObject? inputs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var body = JsonContent.Create(new PluginInvokeRequest { Inputs = inputs }, BerthClientJson.TypeInfo<PluginInvokeRequest>());
        return SendAsync<PluginInvokeResponse>(HttpMethod.Post, $"{PluginsPath}/{Escape(reference)}/invoke", body, cancellationToken);
    }

    /// <summary>The newest recorded calls of a plugin (every version), newest first; <paramref name="limit"/> 1 to 1000 (null: the server's default, 50).</summary>
    public async Task<IReadOnlyList<PluginInvocationView>> ListPluginInvocationsAsync(string id, int? limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var query = limit is { } count ? string.Create(CultureInfo.InvariantCulture, $"?limit={count}") : "";
        return await SendAsync<List<PluginInvocationView>>(HttpMethod.Get, $"{PluginsPath}/{Escape(id)}/invocations{query}", null, cancellationToken);
    }

    private static StreamContent Package(Stream package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var content = new StreamContent(package);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        return content;
    }
}
