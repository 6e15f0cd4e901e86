using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Plugins;

/// <summary>One process-runtime server for the plugin tests, with its plugins in a folder of its own and small package limits.</summary>
public sealed class PluginServerFixture : IAsyncLifetime
{
    public const int MaxFiles = 40;
    public const long MaxUnpackedBytes = 1 << 20;

    internal string PluginsDirectory { get; } = Path.Combine(Path.GetTempPath(), $"berth-plugins-{Guid.NewGuid():N}");

    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(extraArgs:
    [
        $"--Berth:Plugins:Directory={PluginsDirectory}",
        $"--Berth:Plugins:MaxFiles={MaxFiles}",
        $"--Berth:Plugins:MaxUnpackedBytes={MaxUnpackedBytes}",
        "--Berth:Plugins:CheckTimeout=1m",
    ]);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        TestPlugins.Delete(PluginsDirectory);
    }

    /// <summary>POSTs a package to <c>/api/v1/plugins</c> (or <c>/check</c>) with <paramref name="http"/> (the admin's when null).</summary>
    internal async Task<HttpResponseMessage> PostAsync(byte[] package, bool checkOnly = false, HttpClient? http = null, string source = "test")
    {
        using var content = new ByteArrayContent(package);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        var path = checkOnly ? "/api/v1/plugins/check" : $"/api/v1/plugins?source={Uri.EscapeDataString(source)}";
        return await (http ?? Server.Http).PostAsync(path, content, TestTimeouts.Token(TestTimeouts.Slow));
    }

    internal async Task<List<PluginSummary>> ListAsync() =>
        (await Server.Http.GetFromJsonAsync<List<PluginSummary>>("/api/v1/plugins", BerthJson.Options, TestTimeouts.Token()))!;

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(BerthJson.Options, TestTimeouts.Token()))!;
}
