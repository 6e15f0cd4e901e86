using System.Net.Http.Headers;
using Berth.Server.Security;
using Berth.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Tests.Secrets;

/// <summary>A <see cref="TestServer"/> whose client sends the admin token, and whose log output is captured from the start of the test.</summary>
internal static class SecretsTestServer
{
    public static async Task<(TestServer Server, LogCapture Logs)> StartAsync(string runtime = "process")
    {
        var server = await TestServer.StartAsync(runtime);
        if (server.Http.DefaultRequestHeaders.Authorization is null)
        {
            var token = (await File.ReadAllTextAsync(Path.Combine(server.DataDir, AdminTokenBootstrap.FileName))).Trim();
            server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var logs = new LogCapture();
        server.Server.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        return (server, logs);
    }
}
