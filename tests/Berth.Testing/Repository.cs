using System.Runtime.CompilerServices;

namespace Berth.Testing;

/// <summary>Files of this repository (docs, sources, test agents), and the dotnet host that builds and runs them.</summary>
public static class Repository
{
    /// <summary>The folder holding Berth.slnx, found from the test binaries or (with --artifacts-path outside the repo) from this source file.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The dotnet executable: the one `dotnet test` names in DOTNET_HOST_PATH, else the first on PATH.</summary>
    public static string Dotnet { get; } = FindDotnet();

    public static string ReadAllText(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in (string[])[AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? ""])
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException($"no Berth.slnx above {AppContext.BaseDirectory} or {sourceFile}");
    }

    private static string FindDotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "dotnet"))
            .FirstOrDefault(File.Exists);
        return onPath ?? "/usr/share/dotnet/dotnet";
    }
}
