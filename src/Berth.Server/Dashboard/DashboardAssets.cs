using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Server.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly under <c>berth-dashboard/</c>: the page shell (<c>index.html</c>) and the
/// static assets it loads. <see cref="Version"/> is a hash of every file, so an asset's URL changes whenever any file does
/// and browsers may keep each one for a year.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "berth-dashboard/";
    private const string ShellName = "index.html";
    private const string VersionMarker = "{{version}}";

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    private DashboardAssets(FrozenDictionary<string, DashboardAsset> assets, string version, byte[] shell)
    {
        _assets = assets;
        Version = version;
        Shell = shell;
    }

    /// <summary>The shared catalog, read once from the assembly.</summary>
    public static DashboardAssets Embedded { get; } = Load();

    /// <summary>The first 16 hex digits of a SHA-256 over every file's name and content.</summary>
    public string Version { get; }

    /// <summary>The page shell, its asset URLs carrying <see cref="Version"/>.</summary>
    public byte[] Shell { get; }

    /// <summary>The names of the static assets (not the shell).</summary>
    public IEnumerable<string> Names => _assets.Keys;

    /// <summary>The asset named <paramref name="name"/> exactly; null for any other name, the shell's included.</summary>
    public DashboardAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToDictionary(n => n[Prefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);
        if (!files.TryGetValue(ShellName, out var shellTemplate))
        {
            throw new InvalidOperationException($"The dashboard's {ShellName} is not embedded in {assembly.GetName().Name}; the build is broken.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(content);
        }

        var version = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        var shell = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(shellTemplate).Replace(VersionMarker, version, StringComparison.Ordinal));
        var assets = files.Where(f => f.Key != ShellName)
            .ToFrozenDictionary(f => f.Key, f => new DashboardAsset(f.Key, ContentType(f.Key), f.Value), StringComparer.Ordinal);
        return new DashboardAssets(assets, version, shell);
    }

    private static byte[] Read(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => throw new InvalidOperationException($"The dashboard asset {name} has a type the server does not serve; use .js, .css or .svg."),
    };
}
