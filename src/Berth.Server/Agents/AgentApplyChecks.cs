using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Agents;

/// <summary>
/// What only the server can check of agent specs about to be applied, for one spec (<c>PUT /api/v1/agents/{name}</c>) or
/// several at once (the MCP <c>apply</c> tool, which applies nothing unless all pass): host paths as they are on disk,
/// secrets that must exist, <c>dependsOn</c> cycles against the stored agents with every new spec in place, and whether a
/// runtime here can run each.
/// </summary>
internal sealed class AgentApplyChecks(IAgentStore agents, RuntimeCatalog runtimes, SecretVault secrets, HostVolumeGuard hostVolumes)
{
    /// <summary>
    /// Null when every spec may be stored; else a 400 listing every error (paths prefixed <c>agents/{name}: </c> when
    /// <paramref name="prefixed"/>, as the spec reader does for a text of several documents), or a 409 naming the agents no
    /// runtime here can run. A cycle is a fault of the spec, so it is reported before whether the agent can run here.
    /// </summary>
    public async Task<ProblemHttpResult?> CheckAsync(IReadOnlyList<AgentSpec> specs, bool prefixed, CancellationToken ct)
    {
        var errors = new List<SpecError>();
        var graph = await GraphAsync(specs, ct);
        foreach (var spec in specs)
        {
            var found = hostVolumes.Check(spec);
            if (found.Count == 0)
            {
                // Only a well-formed spec is searched for secret references.
                found = await MissingSecretsAsync(spec, ct);
            }

            if (found.Count == 0 && DependencyCycle(spec, graph) is { } cycle)
            {
                found = [cycle];
            }

            errors.AddRange(found.Select(e => prefixed ? e with { Path = $"agents/{spec.Name}: {e.Path}" } : e));
        }

        if (errors.Count > 0)
        {
            return Problems.Problems.Validation(errors);
        }

        var unrunnable = specs.Where(s => runtimes.For(s.Kind) is null).Select(s => $"Agent '{s.Name}' cannot run here: {runtimes.Explain(s.Kind)}.").ToList();
        return unrunnable.Count == 0 ? null : Problems.Problems.Conflict(string.Join(" ", unrunnable));
    }

    // The stored agents (less those being removed), with every spec of this apply in place of its stored version.
    private async Task<Dictionary<string, IReadOnlyList<string>>> GraphAsync(IReadOnlyList<AgentSpec> specs, CancellationToken ct)
    {
        if (specs.All(s => s.DependsOn.Count == 0))
        {
            return [];
        }

        var graph = (await agents.ListAsync(ct))
            .Where(a => a.DesiredState != DesiredState.Removed)
            .ToDictionary(a => a.Name, a => a.Spec.DependsOn, StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            graph[spec.Name] = spec.DependsOn;
        }

        return graph;
    }

    private static SpecError? DependencyCycle(AgentSpec spec, Dictionary<string, IReadOnlyList<string>> graph)
    {
        if (spec.DependsOn.Count == 0 || AgentDependencyCycles.Through(spec.Name, graph) is not { } cycle)
        {
            return null;
        }

        var index = spec.DependsOn.ToList().IndexOf(cycle[1]);
        return new SpecError($"spec.dependsOn[{index}]", AgentDependencyCycles.Message(cycle));
    }

    // A reference must name a secret that exists when the spec is applied; one deleted later fails the agent's next start instead.
    private async Task<IReadOnlyList<SpecError>> MissingSecretsAsync(AgentSpec spec, CancellationToken ct)
    {
        var errors = new List<SpecError>();
        var uses = spec.Env.Select(e => (Path: $"spec.env.{e.Key}", Text: e.Value))
            .Concat(spec.Files.Select(f => (Path: SpecPaths.File("spec.files", f.Key), Text: f.Value)));
        foreach (var (path, text) in uses)
        {
            foreach (var name in SecretReference.Scan(text).Where(r => r.Valid).Select(r => r.Name).Distinct(StringComparer.Ordinal))
            {
                if (!await secrets.ExistsAsync(name, ct))
                {
                    errors.Add(new SpecError(path, $"secret '{name}' does not exist; create it with 'berth secrets set {name}'"));
                }
            }
        }

        return errors;
    }
}
