using System.Net;
using Berth.Testing;

namespace Berth.Server.Tests.Plugins;

/// <summary>A copy of the text-analysis plugin installed on a test server for one test, removed (with its pool) when disposed.</summary>
internal sealed class InvokedPlugin : IAsyncDisposable
{
    private readonly PluginServerFixture _fixture;

    private InvokedPlugin(PluginServerFixture fixture, string id, string version) => (_fixture, Id, Version) = (fixture, id, version);

    public string Id { get; }

    public string Version { get; }

    /// <summary>The pool agent.</summary>
    public string Pool => Berth.Server.Plugins.PluginPoolNames.For(Id, Version);

    /// <summary><c>ID@VERSION</c>.</summary>
    public string Reference => $"{Id}@{Version}";

    /// <summary>Installs a new copy; <paramref name="spec"/> is YAML appended under <c>spec</c> (indented two spaces), like <c>  pool: {maxInstances: 1}</c>.</summary>
    public static async Task<InvokedPlugin> InstallAsync(PluginServerFixture fixture, string? spec = null, string version = "1.0.0", string? id = null)
    {
        id ??= TestPlugins.NewId();
        var folder = TestPlugins.Copy(id, version);
        try
        {
            if (spec is not null)
            {
                File.AppendAllText(Path.Combine(folder, "plugin.yaml"), spec.TrimEnd() + "\n");
            }

            using var response = await fixture.PostAsync(TestPlugins.Pack(folder));
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return new InvokedPlugin(fixture, id, version);
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    /// <summary>Removes this version.</summary>
    public async Task RemoveAsync()
    {
        using var response = await _fixture.Server.Http.DeleteAsync($"/api/v1/plugins/{Id}/versions/{Version}", TestTimeouts.Token());
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.NotFound);
    }

    public async ValueTask DisposeAsync() => await RemoveAsync();
}
