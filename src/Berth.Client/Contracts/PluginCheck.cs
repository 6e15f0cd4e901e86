namespace Berth.Client.Contracts;

/// <summary>One check of the plugin contract check: <c>manifest</c>, <c>schemas</c>, <c>examples</c>, <c>start</c>, <c>health</c>, <c>execute[N]</c> or <c>metrics</c>.</summary>
public sealed record PluginCheck
{
    /// <summary>The check's name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the plugin passed it.</summary>
    public required bool Passed { get; init; }

    /// <summary>What was found: on a failure, what is wrong and how to fix it.</summary>
    public required string Message { get; init; }
}
