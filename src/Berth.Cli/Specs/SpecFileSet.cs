using Berth.Core.Workflows;
using Berth.Core.Specs;

namespace Berth.Cli.Specs;

/// <summary>The agents read from the <c>-f</c> files and every problem found, each with the file it came from.</summary>
internal sealed record SpecFileSet(IReadOnlyList<AgentSpec> Agents, IReadOnlyList<WorkflowSpec> Workflows, IReadOnlyList<(string Source, SpecError Error)> Errors)
{
    /// <summary>The plugin manifests read: valid specs, but installed from their folder (<c>berth plugins install</c>), never applied.</summary>
    public IReadOnlyList<(string Source, PluginSpec Plugin)> Plugins { get; init; } = [];

    public bool IsValid => Errors.Count == 0;
}
