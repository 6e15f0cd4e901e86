using System.Runtime.CompilerServices;

namespace Berth.Server.Tests.Support;

/// <summary>Files of this repository (docs, sources), for tests that hold the docs to the code.</summary>
internal static class Repository
{
    /// <summary>The folder holding Berth.slnx, found from the test binaries or (with --artifacts-path outside the repo) from this source file.</summary>
    public static string Root { get; } = FindRoot();

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
}
