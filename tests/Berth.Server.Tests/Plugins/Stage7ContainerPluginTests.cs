using System.Net;
using System.Net.Http.Headers;
using Berth.Client.Contracts;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Server.Tests.Plugins;

/// <summary>
/// A Stage7 container plugin (manifest.json, a Dockerfile on busybox, httpd serving the contract: a CGI /execute, static
/// /health and /metrics) installed through a server on the auto runtime: the check builds the image and runs it on the real dockerd.
/// </summary>
[RequiresDocker]
public sealed class Stage7ContainerPluginTests : IAsyncLifetime
{
    private readonly string _plugins = Path.Combine(Path.GetTempPath(), $"berth-plugins-{Guid.NewGuid():N}");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"berth-stage7-{Guid.NewGuid():N}");
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(docker, TestTimeouts.Token());
        _server = await TestServer.StartAsync("auto", extraArgs: [$"--Berth:Plugins:Directory={_plugins}"]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestPlugins.Delete(_plugins);
        TestPlugins.Delete(_folder);
    }

    [Fact]
    public async Task Install_Stage7Manifest_BuildsFromItsDockerfileAndNotesTheConversion()
    {
        var id = TestPlugins.NewId();
        Write("manifest.json", $$"""
            {
              "id": "{{id}}",
              "version": "1.0.0",
              "actionVerb": "SAY_OK",
              "description": "Answers ok, from busybox httpd.",
              "language": "container",
              "inputDefinitions": [ { "name": "text", "type": "string", "required": false } ],
              "outputDefinitions": [ { "name": "ok", "type": "boolean" } ],
              "container": {
                "dockerfile": "Dockerfile",
                "buildContext": "./",
                "image": "stage7/{{id}}:1.0.0",
                "ports": [ { "container": 8080, "host": 0 } ],
                "environment": { "GREETING": "hi" },
                "healthCheck": { "path": "/health", "interval": 1, "timeout": "1s" }
              },
              "api": { "endpoint": "/cgi-bin/execute", "method": "POST", "timeout": 10000 },
              "security": { "trust": "none" }
            }
            """);
        Write("Dockerfile", $"""
            FROM {TestImages.Busybox}
            COPY www /www
            RUN chmod 755 /www/cgi-bin/execute
            CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
            """);
        Write("www/health", "{\"status\":\"healthy\"}");
        Write("www/metrics", "# HELP say_ok_up Whether the plugin is up.\n# TYPE say_ok_up gauge\nsay_ok_up 1\n");
        Write("www/cgi-bin/execute", "#!/bin/sh\nhead -c \"$CONTENT_LENGTH\" > /dev/null\nprintf 'Content-Type: application/json\\r\\n\\r\\n{\"success\": true, \"outputs\": {\"ok\": true}}'\n");

        using var content = new ByteArrayContent(TestPlugins.Pack(_folder));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        using var response = await _server.Http.PostAsync("/api/v1/plugins?source=stage7", content, TestTimeouts.Token(TimeSpan.FromMinutes(5)));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        var installed = await PluginServerFixture.ReadAsync<PluginInstallResponse>(response);
        installed.Report.Checks.Where(c => c.Passed).Select(c => c.Name).ShouldBe(["manifest", "schemas", "examples", "start", "health", "metrics"]);
        installed.Plugin.Spec.Container!.Build!.Context.ShouldBe(installed.Plugin.Directory);
        installed.Plugin.Spec.Api.Endpoint.ShouldBe("/cgi-bin/execute");
        installed.Plugin.Notes.ShouldContain(n => n.Contains($"container.image 'stage7/{id}:1.0.0' dropped", StringComparison.Ordinal));
        installed.Plugin.Notes.ShouldContain(n => n.Contains("dropped (no Berth equivalent): security", StringComparison.Ordinal));
        using var described = await _server.Http.GetAsync($"/api/v1/plugins/{id}", TestTimeouts.Token());
        (await PluginServerFixture.ReadAsync<PluginDetail>(described)).Versions.Single().Plugin.Notes.ShouldBe(installed.Plugin.Notes);
        await _server.Http.DeleteAsync($"/api/v1/plugins/{id}", TestTimeouts.Token());
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
