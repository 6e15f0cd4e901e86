using Berth.Core.Plugins;
using Berth.Core.Specs;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>plugins</c> as Dapper reads it.</summary>
internal sealed class PluginRow
{
    public const string Columns =
        "id AS Id, version AS Version, spec AS Spec, directory AS Directory, digest AS Digest, source AS Source, notes AS Notes, " +
        "installed_at AS InstalledAt, installed_by AS InstalledBy";

    public string Id { get; init; } = "";

    public string Version { get; init; } = "";

    public string Spec { get; init; } = "";

    public string Directory { get; init; } = "";

    public string Digest { get; init; } = "";

    public string Source { get; init; } = "";

    public string Notes { get; init; } = "[]";

    public string InstalledAt { get; init; } = "";

    public string InstalledBy { get; init; } = "";

    public static object Parameters(PluginRecord plugin) => new
    {
        plugin.Id,
        plugin.Version,
        Spec = StoredJson.Serialize(plugin.Spec),
        plugin.Directory,
        plugin.Digest,
        plugin.Source,
        Notes = StoredJson.Serialize(plugin.Notes),
        InstalledAt = Mapping.StoredTime.Format(plugin.InstalledAt),
        plugin.InstalledBy,
    };

    public PluginRecord ToRecord()
    {
        var owner = $"Plugin '{Id}@{Version}'";
        var spec = StoredJson.Deserialize<PluginSpec>(Spec, owner, "spec");
        if (!string.Equals(spec.Name, Id, StringComparison.Ordinal) || !string.Equals(spec.Version, Version, StringComparison.Ordinal))
        {
            throw new StoredDataException($"{owner} cannot be read: its spec names '{spec.Name}@{spec.Version}'. Remove it and install it again.");
        }

        return new PluginRecord
        {
            Id = Id,
            Version = Version,
            Spec = spec,
            Directory = Directory,
            Digest = Digest,
            Source = Source,
            Notes = StoredJson.Deserialize<List<string>>(Notes, owner, "notes"),
            InstalledAt = StoredJson.Time(InstalledAt, owner, "installed_at"),
            InstalledBy = InstalledBy,
        };
    }
}
