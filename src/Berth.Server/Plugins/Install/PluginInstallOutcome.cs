using Berth.Client.Contracts;
using Berth.Core.Plugins;
using Berth.Core.Specs;

namespace Berth.Server.Plugins.Install;

/// <summary>
/// How an install or check ended: the report; the version registered (an install that passed); the manifest's problems;
/// or why it was refused before the check ran (<see cref="Conflict"/>: already installed, or being checked right now).
/// </summary>
internal sealed record PluginInstallOutcome(PluginCheckReport Report, PluginRecord? Installed = null, IReadOnlyList<SpecError>? ManifestErrors = null, string? Conflict = null);
