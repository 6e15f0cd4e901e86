using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Berth.Testing;

namespace Berth.Server.Tests.Plugins;

/// <summary>Copies of tests/plugins/text-analysis with another id, version or a broken part, and packages of folders or of hand-made tar entries.</summary>
internal static class TestPlugins
{
    public static string Source => Path.Combine(Repository.Root, "tests", "plugins", "text-analysis");

    /// <summary>A new id for one test, so tests can share a server.</summary>
    public static string NewId() => $"ta-{Guid.NewGuid():N}"[..15];

    /// <summary>A copy of the test plugin in a new temp folder, as <paramref name="id"/>@<paramref name="version"/>, with <c>TEXT_ANALYSIS_BREAK</c> set when <paramref name="breaks"/> is.</summary>
    public static string Copy(string id, string version = "1.0.0", string? breaks = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"berth-plugin-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Source, "server.py"), Path.Combine(folder, "server.py"));
        var yaml = File.ReadAllText(Path.Combine(Source, "plugin.yaml"))
            .Replace("name: text-analysis", $"name: {id}", StringComparison.Ordinal)
            .Replace("version: 1.0.0", $"version: {version}", StringComparison.Ordinal);
        if (breaks is not null)
        {
            yaml = yaml.Replace("    args: [\"server.py\"]\n", $"    args: [\"server.py\"]\n    env:\n      TEXT_ANALYSIS_BREAK: {breaks}\n", StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(folder, "plugin.yaml"), yaml);
        return folder;
    }

    /// <summary>A .tar.gz of the folder's contents.</summary>
    public static byte[] Pack(string folder)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            TarFile.CreateFromDirectory(folder, gzip, includeBaseDirectory: false);
        }

        return buffer.ToArray();
    }

    /// <summary>A .tar.gz of the given entries, as a hostile client could make it.</summary>
    public static byte[] PackEntries(params TarEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    public static PaxTarEntry FileEntry(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    public static PaxTarEntry LinkEntry(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
