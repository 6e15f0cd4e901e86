using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Runs;
using Berth.Server.Hosting;
using Berth.Server.Secrets;
using Berth.Server.Workflows.Caching;
using Berth.Server.Workflows.Engine;

namespace Berth.Server.Workflows.Steps;

/// <summary>
/// Container steps: expressions and secrets resolved, the image pinned to its ID (which the cache key hashes), files in and
/// outputs out through the engine's archive API; secrets the step prints are redacted from its stored stdout.
/// Exit 0 succeeds; OOM or exit 137 is <c>resource</c>; any other exit is <c>user</c>.
/// </summary>
internal sealed class ContainerStepAction(
    IContainerStepRunner runner, ISecretResolver secrets, SecretRedactor redactor, IArtifactStore artifacts, CacheKeyBuilder keys, ServerId server)
{
    private const int KilledExitCode = 137;

    public async Task<PreparedStep> PrepareAsync(StepUnit unit, CancellationToken cancellationToken)
    {
        var spec = unit.Step.Container ?? throw new InvalidOperationException($"step '{unit.Step.Id}' has no container section");
        var scope = unit.Scope;
        var image = Text(spec.Image, scope);
        var command = spec.Command.Select(part => Text(part, scope)).ToList();
        var args = spec.Args.Select(part => Text(part, scope)).ToList();
        var withSecrets = await secrets.ResolveAsync(spec.Env, cancellationToken);
        var env = withSecrets.ToDictionary(e => e.Key, e => Text(e.Value, scope), StringComparer.Ordinal);
        var workdir = spec.Workdir is null ? null : Text(spec.Workdir, scope);
        var files = await FilesAsync(spec.Files, scope, cancellationToken);
        var imageId = await runner.ResolveImageAsync(image, cancellationToken);

        // Resources stay out of the key: limits decide whether a step finishes, not what a successful one outputs.
        var key = keys.Container(imageId, command, args, env, workdir, files, spec.Outputs);
        var launch = new ContainerStepLaunch
        {
            Image = imageId,
            Command = command,
            Args = args,
            Env = env,
            Workdir = workdir,
            Files = files,
            Outputs = spec.Outputs,
            Resources = spec.Resources,
            Owner = server.Value,
            RunId = unit.RunId,
            StepId = unit.Name,
            Attempt = 1,
        };
        return new PreparedStep($"image:{image}", key, (attempt, ct) => RunAsync(launch, spec.Outputs, attempt, ct), CachedByDefault: true);
    }

    private async Task<StepOutputs> RunAsync(ContainerStepLaunch launch, IReadOnlyList<string> outputs, StepAttempt attempt, CancellationToken cancellationToken)
    {
        var result = attempt.ReattachContainerId is { } existing
            ? await ReattachAsync(existing, launch, outputs, attempt, cancellationToken)
            : await StartAndWaitAsync(launch, outputs, attempt, cancellationToken);
        if (result.OomKilled || result.ExitCode == KilledExitCode)
        {
            var why = result.OomKilled ? "out of memory" : "exit 137";
            throw new StepRunException(ErrorClass.Resource, $"the container was killed ({why}); give it more memory or make it use less")
            {
                ExitCode = result.ExitCode,
                LogTail = result.LogTail,
            };
        }

        if (result.ExitCode != 0)
        {
            throw new StepRunException(ErrorClass.User, $"the container exited with code {result.ExitCode}; its log tail says why") { ExitCode = result.ExitCode, LogTail = result.LogTail };
        }

        var files = new Dictionary<string, ArtifactRef>(StringComparer.Ordinal);
        foreach (var (path, content) in result.Files)
        {
            files[path] = await artifacts.PutAsync(content, cancellationToken);
        }

        // Stdout is stored with the run and shown by the API: a secret the step printed is redacted like in its log. Files are the step's data, kept as written.
        return new StepOutputs { Stdout = redactor.Redact(result.Stdout.TrimEnd()), ExitCode = 0, Files = files };
    }

    private async Task<ContainerStepResult> ReattachAsync(
        string containerId, ContainerStepLaunch launch, IReadOnlyList<string> outputs, StepAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.WaitAsync(containerId, outputs, Log(attempt), cancellationToken);
        }
        catch (StepRunException ex) when (ex.Class == ErrorClass.Transient && !cancellationToken.IsCancellationRequested)
        {
            // The container an earlier server started is gone (removed at shutdown, or the engine restarted): run the attempt again.
            return await StartAndWaitAsync(launch, outputs, attempt, cancellationToken);
        }
    }

    private async Task<ContainerStepResult> StartAndWaitAsync(
        ContainerStepLaunch launch, IReadOnlyList<string> outputs, StepAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Number > 1)
        {
            // An earlier attempt's container is normally gone; one is left when a server stopped between creating it and storing its id.
            foreach (var leftover in await runner.ListAsync(server.Value, launch.RunId, launch.StepId, cancellationToken))
            {
                await runner.RemoveAsync(leftover, cancellationToken);
            }
        }

        var containerId = await runner.StartAsync(launch with { Attempt = attempt.Number, Env = WorkflowTracing.WithTraceParent(launch.Env) }, cancellationToken);
        try
        {
            await attempt.ContainerStartedAsync(containerId);
        }
        catch
        {
            await runner.RemoveAsync(containerId, CancellationToken.None);
            throw;
        }

        return await runner.WaitAsync(containerId, outputs, Log(attempt), cancellationToken);
    }

    private static Func<string, CancellationToken, Task> Log(StepAttempt attempt) => (line, _) =>
    {
        attempt.Log(line);
        return Task.CompletedTask;
    };

    /// <summary>
    /// File contents. Secrets are resolved in the text as written, before expressions, so an earlier step's output that happens
    /// to contain <c>${secret:…}</c> is never expanded; a file that is exactly one reference keeps the secret's bytes.
    /// </summary>
    private async Task<Dictionary<string, byte[]>> FilesAsync(IReadOnlyDictionary<string, string> files, ExpressionScope scope, CancellationToken cancellationToken)
    {
        var plain = files.Where(f => !f.Value.Contains("${{", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        var resolved = await secrets.ResolveFilesAsync(plain, cancellationToken);
        var templated = files.Where(f => !plain.ContainsKey(f.Key)).ToDictionary(StringComparer.Ordinal);
        foreach (var (path, text) in await secrets.ResolveAsync(templated, cancellationToken))
        {
            resolved[path] = Template.Parse(text).EvaluateBytes(scope);
        }

        return resolved;
    }

    private static string Text(string template, ExpressionScope scope) => Template.Parse(template).EvaluateText(scope);
}
