namespace Berth.Server.Plugins;

/// <summary>Settings of the plugin registry, bound from <c>Berth:Plugins</c>.</summary>
public sealed record PluginOptions
{
    /// <summary>The configuration section: <c>Berth:Plugins</c>.</summary>
    public const string Section = "Berth:Plugins";

    /// <summary>
    /// Absolute directory outside the data directory where installed plugins' folders are kept (<c>ID/VERSION</c>), readable by
    /// agents' users since process plugins run in them. Default <c>/var/lib/berth/plugins/{server}</c> when the server runs as
    /// root, else a folder beside the data directory.
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>Largest plugin package (a .tar.gz) accepted, in bytes. Default 64 MiB.</summary>
    public long MaxPackageBytes { get; set; } = 64L << 20;

    /// <summary>Largest unpacked plugin, in bytes, and most files in it. Defaults 256 MiB and 10,000 files.</summary>
    public long MaxUnpackedBytes { get; set; } = 256L << 20;

    /// <summary>Most files an unpacked plugin may hold. Default 10,000.</summary>
    public int MaxFiles { get; set; } = 10_000;

    /// <summary>How long the contract check waits for its instance to be healthy, a build included. Default 5m.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest inputs or outputs of one call, in bytes. Default 4 MiB.</summary>
    public int MaxPayloadBytes { get; set; } = 4 << 20;

    /// <summary>Days a plugin invocation record is kept before retention deletes it; from 1 to 36500. Default 30.</summary>
    public int InvocationRetentionDays { get; set; } = 30;
}
