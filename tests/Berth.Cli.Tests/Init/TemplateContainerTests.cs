using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Tests.Durability;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Cli.Tests.Init;

/// <summary>
/// The escape hatch, for real: a generated agent switched to <c>build: { context: . }</c> as its README says, built from its
/// Dockerfile with <c>--base-image</c> pointing at a local image (no registry here), runs on the docker runtime and answers.
/// The shell template is the one whose base image this machine can build (busybox); the others need their official images.
/// </summary>
[RequiresDocker]
public sealed class TemplateContainerTests : IAsyncLifetime
{
    private readonly CrashScratch _scratch = new("berth-tpl");

    public async Task InitializeAsync()
    {
        using var docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(docker, TestTimeouts.Token());
    }

    public Task DisposeAsync()
    {
        _scratch.StopServers();
        _scratch.Delete();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ShellAgent_SwitchedToItsDockerfile_RunsAsAContainerAndAnswers()
    {
        using var project = await InitProject.CreateAsync("agent", "shell", "--base-image", TestImages.Busybox);
        var spec = Path.Combine(project.Folder, "agent.yaml");
        var text = await File.ReadAllTextAsync(spec);
        var process = text[text.IndexOf("  process:\n", StringComparison.Ordinal)..text.IndexOf("  health:\n", StringComparison.Ordinal)];
        await File.WriteAllTextAsync(spec, text.Replace(process, "  build: { context: . }\n", StringComparison.Ordinal));
        var server = await _scratch.StartServerAsync(TestTimeouts.Token());
        var cli = new CliHarness { CurrentDirectory = project.Folder, HangGuard = TimeSpan.FromMinutes(3) };
        cli.Environment["BERTH_URL"] = server.Address.ToString();
        cli.Environment["BERTH_TOKEN"] = _scratch.AdminToken;
        try
        {
            var applied = await cli.RunAsync(["apply", "-f", "agent.yaml", "--wait", "--timeout", "120s"], TestTimeouts.Token(TimeSpan.FromMinutes(3)));
            applied.ExitCode.ShouldBe(ExitCodes.Ok, $"{applied}\nserver:\n{server.Output}");

            using var http = new HttpClient { BaseAddress = server.Address, Timeout = TestTimeouts.Quick };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _scratch.AdminToken);
            using var response = await http.PostAsync(
                $"agents/{project.Name}/invoke", new StringContent("""{"text": "one two three"}""", Encoding.UTF8, "application/json"), TestTimeouts.Token());
            var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());

            response.IsSuccessStatusCode.ShouldBeTrue(body);
            JsonNode.Parse(body)!["words"]!.GetValue<int>().ShouldBe(3, body);
        }
        finally
        {
            await cli.RunAsync("rm", project.Name, "--yes");
        }
    }
}
