using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Berth.Storage.Migrations;

/// <summary>Reads the numbered SQL files embedded under one resource prefix (one prefix per database engine).</summary>
internal static partial class MigrationCatalog
{
    /// <summary>The migrations named <c>{prefix}NNNN_name.sql</c>, by version; numbering must start at 1 and have no gaps.</summary>
    public static IReadOnlyList<Migration> Load(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var match = FileName().Match(resource[prefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration resource '{resource}' must be named NNNN_name.sql (four digits, lowercase name).");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Migration resource '{resource}' could not be opened.");
            using var reader = new StreamReader(stream);
            var version = int.Parse(match.Groups["version"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            migrations.Add(new Migration(version, match.Groups["name"].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Migrations under '{prefix}' must be numbered 1, 2, 3… without gaps or duplicates; found {migrations[i].Version} where {i + 1} was expected.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
