using Berth.Server.Hosting;
using Berth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Server;

/// <summary>
/// The Berth server, hosted in-process: <c>berth server</c> runs it, and so do the tests.
/// Agents keep running when the server stops; the next start re-adopts them.
/// </summary>
public sealed class BerthServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "Berth:DataDir",
        ["--runtime"] = "Berth:Runtime",
        ["--urls"] = "urls",
    };

    private static readonly Dictionary<string, string> EnvironmentMappings = new(StringComparer.Ordinal)
    {
        ["BERTH_DATA_DIR"] = "Berth:DataDir",
        ["BERTH_RUNTIME"] = "Berth:Runtime",
        ["BERTH_URLS"] = "urls",
    };

    private readonly WebApplication _app;

    private BerthServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The first address the server listens on, for example <c>http://127.0.0.1:2378/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The server's data directory.</summary>
    public string DataDirectory => _app.Services.GetRequiredService<IOptions<BerthOptions>>().Value.DataDir;

    /// <summary>The server's services, for tests and embedding.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds and starts the server. <paramref name="args"/> are configuration arguments:
    /// <c>--urls</c>, <c>--data-dir</c>, <c>--runtime auto|docker|process</c>, or any <c>--Berth:Key=value</c>.
    /// The environment may set <c>BERTH_URLS</c>, <c>BERTH_DATA_DIR</c> and <c>BERTH_RUNTIME</c>; arguments win.
    /// </summary>
    public static async Task<BerthServer> StartAsync(string[] args, CancellationToken cancellationToken)
    {
        var app = Build(args);
        try
        {
            await app.Services.GetRequiredService<IStoreInitializer>().InitializeAsync(cancellationToken);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return new BerthServer(app, new Uri(addresses.First().Replace("//[::]", "//127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"));
    }

    /// <summary>Completes when the server shuts down (Ctrl+C, SIGTERM or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting requests and stops the background services. Agents keep running.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(
            EnvironmentMappings
                .Select(m => KeyValuePair.Create(m.Value, Environment.GetEnvironmentVariable(m.Key)))
                .Where(m => !string.IsNullOrEmpty(m.Value)));
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        var dataDir = builder.Configuration["Berth:DataDir"];
        if (!string.IsNullOrEmpty(dataDir))
        {
            builder.Configuration["Berth:DataDir"] = Path.GetFullPath(ExpandHome(dataDir));
        }

        builder.WebHost.UseUrls(builder.Configuration["urls"] is { Length: > 0 } urls ? urls : BerthOptions.DefaultUrl);
        builder.Services.AddBerthServer(builder.Configuration);
        var app = builder.Build();
        app.MapBerth();
        return app;
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
