using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Server.Tests.Secrets;

/// <summary>
/// The secret canary for workflow steps: a container step gets a secret as env and as a file, prints it and fails; the value
/// appears in no API answer, event, server log line or byte of the data directory, while the redaction marker in the
/// step's log tail proves the step had it.
/// </summary>
[Collection(Workflows.Engine.WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class WorkflowSecretCanaryTests : IAsyncLifetime
{
    private readonly string _secret = $"canary.{Guid.NewGuid():N}"[..20];
    private readonly string _value = $"canary-value-{Guid.NewGuid():N}";
    private TestServer _server = null!;
    private LogCapture _logs = null!;

    public async Task InitializeAsync()
    {
        using var docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(docker, TestTimeouts.Token());
        (_server, _logs) = await SecretsTestServer.StartAsync("docker");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Canary_StepEchoesTheSecretAndFails_ValueReachesItAndLeaksNowhere()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(_value));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        (await _server.Http.PutAsync($"/api/v1/secrets/{_secret}", content, TestTimeouts.Token())).EnsureSuccessStatusCode();
        var reference = $"${{secret:{_secret}}}";
        var spec = new WorkflowSpec
        {
            Name = $"wf{Guid.NewGuid():N}"[..12],
            Steps =
            [
                new StepSpec
                {
                    Id = "leaky",
                    
                    Container = new ContainerStepSpec
                    {
                        Image = TestImages.Busybox,
                        Command = ["/bin/busybox", "sh", "-c"],
                        Args = ["echo \"env=$API_KEY\"; echo \"file=$(cat /run/key)\" >&2; exit 1"],
                        Env = new Dictionary<string, string> { ["API_KEY"] = reference },
                        Files = new Dictionary<string, string> { ["/run/key"] = reference },
                    },
                },
            ],
        };
        (await _server.Http.PutAsJsonAsync($"/api/v1/workflows/{spec.Name}", Berth.Core.Specs.SpecDocuments.ToDocument(spec), BerthJson.Options, TestTimeouts.Token())).EnsureSuccessStatusCode();
        using var started = await _server.Http.PostAsJsonAsync($"/api/v1/workflows/{spec.Name}/runs", new StartRunRequest(), BerthJson.Options, TestTimeouts.Token());
        var runId = (await started.Content.ReadFromJsonAsync<RunView>(BerthJson.Options))!.Id;
        var run = await WaitAsync(runId);

        var leaky = run.Steps!.Single();
        leaky.Failure!.LogTail.ShouldNotBeNull();
        leaky.Failure.LogTail.ShouldContain($"env=[redacted:{_secret}]", customMessage: "the step never received the secret as env");
        leaky.Failure.LogTail.ShouldContain($"file=[redacted:{_secret}]", customMessage: "the step never received the secret as a file");
        var answers = new List<string>();
        foreach (var path in new[] { $"/api/v1/runs/{runId}", "/api/v1/runs", $"/api/v1/runs/{runId}/events?follow=false", $"/api/v1/workflows/{spec.Name}" })
        {
            answers.Add($"{path}: {await _server.Http.GetStringAsync(path, TestTimeouts.Token())}");
        }

        answers.ShouldAllBe(a => !a.Contains(_value, StringComparison.Ordinal));
        answers[2].ShouldContain("step.log", customMessage: "the event stream should have been searched with the step's log lines in it");
        _logs.Text.ShouldNotContain(_value);
        // the server's lock is always empty and cannot be opened while the server holds it
        foreach (var file in Directory.EnumerateFiles(_server.DataDir, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != Core.Storage.DataDirectoryLock.FileName))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, TestTimeouts.Token());
            copy.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(_value)).ShouldBe(-1, $"{file} holds the secret's plain value");
        }
    }

    private Task<RunView> WaitAsync(string runId) =>
        Eventually.MatchAsync(
            async token => (await _server.Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{runId}", BerthJson.Options, token))!,
            run => run.State is RunState.Succeeded or RunState.Failed or RunState.Cancelled,
            $"run {runId} to finish");
}
