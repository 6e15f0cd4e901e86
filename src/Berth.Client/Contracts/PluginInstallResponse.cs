using Berth.Core.Plugins;

namespace Berth.Client.Contracts;

/// <summary>The answer to an install: the version as registered, and the contract check it passed.</summary>
public sealed record PluginInstallResponse
{
    /// <summary>The installed version.</summary>
    public required PluginRecord Plugin { get; init; }

    /// <summary>The contract check it passed.</summary>
    public required PluginCheckReport Report { get; init; }
}
