using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Server.Tests.Security;
using Berth.Testing;

namespace Berth.Server.Tests.Plugins;

/// <summary>Installing the text-analysis process plugin through the API of a real server: the check runs a real instance.</summary>
public sealed class PluginInstallTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    [Fact]
    public async Task Install_DirectoryPackage_RegistersTheVersionAfterEveryCheckPassed()
    {
        var id = TestPlugins.NewId();
        var folder = TestPlugins.Copy(id);
        try
        {
            var package = TestPlugins.Pack(folder);
            using var response = await fixture.PostAsync(package, source: "dir ./text-analysis");

            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var installed = await PluginServerFixture.ReadAsync<PluginInstallResponse>(response);
            installed.Report.Passed.ShouldBeTrue();
            installed.Report.Checks.Select(c => c.Name).ShouldBe(["manifest", "schemas", "examples", "start", "health", "execute[0]", "execute[1]", "metrics"]);
            installed.Plugin.Digest.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(package)));
            installed.Plugin.Source.ShouldBe("dir ./text-analysis");
            installed.Plugin.InstalledBy.ShouldStartWith("token:");
            installed.Plugin.Directory.ShouldBe(Path.Combine(fixture.PluginsDirectory, id, "1.0.0"));
            var script = Path.Combine(installed.Plugin.Directory, "server.py");
            File.GetUnixFileMode(script).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "agents' users must read what a process plugin runs");
            var listed = (await fixture.ListAsync()).Single(p => p.Id == id);
            listed.Versions.ShouldBe(["1.0.0"]);
            listed.Capabilities.ShouldBe(["count-words"]);
            listed.Description.ShouldBe("Counts the words and characters of a text.");
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    [Fact]
    public async Task Install_TwoVersions_LiveSideBySideNewestFirst()
    {
        var id = TestPlugins.NewId();
        var one = TestPlugins.Copy(id, "1.0.0");
        var two = TestPlugins.Copy(id, "2.0.0");
        try
        {
            using (var first = await fixture.PostAsync(TestPlugins.Pack(one)))
            {
                first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
            }

            using (var second = await fixture.PostAsync(TestPlugins.Pack(two)))
            {
                second.StatusCode.ShouldBe(HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
            }

            (await fixture.ListAsync()).Single(p => p.Id == id).Versions.ShouldBe(["2.0.0", "1.0.0"]);
            using var described = await fixture.Server.Http.GetAsync($"/api/v1/plugins/{id}", TestTimeouts.Token());
            var detail = await PluginServerFixture.ReadAsync<PluginDetail>(described);
            detail.Versions.Select(v => v.Plugin.Version).ShouldBe(["2.0.0", "1.0.0"]);
            detail.Versions.ShouldAllBe(v => v.Pool != null && v.Pool.Name.StartsWith("plugin." + id, StringComparison.Ordinal));
            Directory.Exists(Path.Combine(fixture.PluginsDirectory, id, "1.0.0")).ShouldBeTrue();
            Directory.Exists(Path.Combine(fixture.PluginsDirectory, id, "2.0.0")).ShouldBeTrue();
        }
        finally
        {
            TestPlugins.Delete(one);
            TestPlugins.Delete(two);
        }
    }

    [Fact]
    public async Task Install_SameVersionTwice_IsAConflictAndKeepsTheFirst()
    {
        var id = TestPlugins.NewId();
        var folder = TestPlugins.Copy(id);
        try
        {
            using var first = await fixture.PostAsync(TestPlugins.Pack(folder));
            first.StatusCode.ShouldBe(HttpStatusCode.Created);
            var digest = (await PluginServerFixture.ReadAsync<PluginInstallResponse>(first)).Plugin.Digest;
            File.AppendAllText(Path.Combine(folder, "README"), "changed\n");

            using var again = await fixture.PostAsync(TestPlugins.Pack(folder));

            again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await again.Content.ReadAsStringAsync()).ShouldContain("already installed");
            using var described = await fixture.Server.Http.GetAsync($"/api/v1/plugins/{id}", TestTimeouts.Token());
            (await PluginServerFixture.ReadAsync<PluginDetail>(described)).Versions.Single().Plugin.Digest.ShouldBe(digest);
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    [Theory]
    [InlineData("health", "health", "503")]
    [InlineData("outputs", "execute[0]", "outputs.wordCount")]
    [InlineData("metrics", "metrics", "not Prometheus text")]
    [InlineData("exit", "start", "exiting on purpose")]
    public async Task Install_BrokenPlugin_IsRefusedNamingTheCheckAndRegistersNothing(string breaks, string check, string said)
    {
        var id = TestPlugins.NewId();
        var folder = TestPlugins.Copy(id, breaks: breaks);
        try
        {
            using var response = await fixture.PostAsync(TestPlugins.Pack(folder));

            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, body);
            var problem = JsonNode.Parse(body)!;
            problem["type"]!.GetValue<string>().ShouldBe("urn:berth:problem:plugin-check-failed");
            problem["check"]!.GetValue<string>().ShouldBe(check);
            problem["detail"]!.GetValue<string>().ShouldContain($"failed the contract check '{check}'");
            problem["detail"]!.GetValue<string>().ShouldContain(said);
            (await fixture.ListAsync()).ShouldNotContain(p => p.Id == id, "nothing is registered when a check fails");
            Directory.Exists(Path.Combine(fixture.PluginsDirectory, id)).ShouldBeFalse("nothing is kept when a check fails");
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    [Fact]
    public async Task Check_BrokenPlugin_AnswersTheFailedReportAndRegistersNothing()
    {
        var id = TestPlugins.NewId();
        var folder = TestPlugins.Copy(id, breaks: "outputs");
        try
        {
            using var response = await fixture.PostAsync(TestPlugins.Pack(folder), checkOnly: true);

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var report = await PluginServerFixture.ReadAsync<PluginCheckReport>(response);
            report.Passed.ShouldBeFalse();
            report.Id.ShouldBe(id);
            report.FirstFailure!.Name.ShouldBe("execute[0]");
            (await fixture.ListAsync()).ShouldNotContain(p => p.Id == id);
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    [Fact]
    public async Task Install_InvalidManifest_IsRefusedWithEachErrorsPath()
    {
        var id = TestPlugins.NewId();
        var folder = TestPlugins.Copy(id, version: "one");
        try
        {
            using var response = await fixture.PostAsync(TestPlugins.Pack(folder));

            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, body);
            var problem = JsonNode.Parse(body)!;
            problem["check"]!.GetValue<string>().ShouldBe("manifest");
            problem["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldContain("plugin.yaml: spec.version");
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }

    [Fact]
    public async Task Remove_OneVersionThenThePlugin_ForgetsThemAndTheirFolders()
    {
        var id = TestPlugins.NewId();
        var one = TestPlugins.Copy(id, "1.0.0");
        var two = TestPlugins.Copy(id, "2.0.0");
        try
        {
            (await fixture.PostAsync(TestPlugins.Pack(one))).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await fixture.PostAsync(TestPlugins.Pack(two))).StatusCode.ShouldBe(HttpStatusCode.Created);

            using var version = await fixture.Server.Http.DeleteAsync($"/api/v1/plugins/{id}/versions/1.0.0", TestTimeouts.Token());
            version.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await fixture.ListAsync()).Single(p => p.Id == id).Versions.ShouldBe(["2.0.0"]);
            Directory.Exists(Path.Combine(fixture.PluginsDirectory, id, "1.0.0")).ShouldBeFalse();

            using var all = await fixture.Server.Http.DeleteAsync($"/api/v1/plugins/{id}", TestTimeouts.Token());
            (await PluginServerFixture.ReadAsync<PluginRemoveResponse>(all)).Removed.ShouldBe(["2.0.0"]);
            using var gone = await fixture.Server.Http.GetAsync($"/api/v1/plugins/{id}", TestTimeouts.Token());
            gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            Directory.Exists(Path.Combine(fixture.PluginsDirectory, id)).ShouldBeFalse();
        }
        finally
        {
            TestPlugins.Delete(one);
            TestPlugins.Delete(two);
        }
    }

    [Fact]
    public async Task Install_AsViewer_IsForbiddenButListingIsAllowed()
    {
        var viewer = await TokenRequests.CreateAsync(fixture.Server, "viewer");
        using var http = fixture.Server.CreateHttp(viewer.Token);
        var folder = TestPlugins.Copy(TestPlugins.NewId());
        try
        {
            using var install = await fixture.PostAsync(TestPlugins.Pack(folder), http: http);
            using var list = await http.GetAsync("/api/v1/plugins", TestTimeouts.Token());

            install.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            list.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            TestPlugins.Delete(folder);
        }
    }
}
