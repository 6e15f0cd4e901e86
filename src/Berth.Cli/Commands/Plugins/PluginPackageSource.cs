using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Cli.Commands.Plugins;

/// <summary>
/// Turns what the user named into a plugin package: a <c>.tar.gz</c> file is sent as it is; a folder is packed (without
/// <c>.git</c>); a git URL (<c>https://…</c>, <c>git@…</c>, <c>file://…</c>, or a local repository path, with an optional
/// <c>#ref</c> naming a branch or tag) is cloned with <c>git clone --depth 1</c> into a temporary folder and packed. The
/// <c>git</c> program is used rather than LibGit2Sharp because <c>berth</c> is a Native AOT binary and LibGit2Sharp is not
/// AOT-compatible (it loads a native library through reflection-based interop).
/// </summary>
internal sealed class PluginPackageSource : IAsyncDisposable
{
    private static readonly TimeSpan CloneTimeout = TimeSpan.FromMinutes(5);
    private readonly List<string> _temporary = [];

    private PluginPackageSource(string file, string description) => (File, Description) = (file, description);

    /// <summary>The .tar.gz to send.</summary>
    public string File { get; private set; }

    /// <summary>Where it came from, kept with the installed version: <c>dir PATH</c>, <c>git URL#REF</c> or <c>tarball PATH</c>.</summary>
    public string Description { get; }

    /// <summary>Resolves <paramref name="what"/> against <paramref name="currentDirectory"/>. Throws <see cref="CliException"/> when it names nothing usable.</summary>
    public static async Task<PluginPackageSource> OpenAsync(string what, string currentDirectory, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(what, currentDirectory);
        if (System.IO.File.Exists(path) && (path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)))
        {
            return new PluginPackageSource(path, $"tarball {what}");
        }

        var (url, reference) = SplitRef(what);
        // A local repository is cloned only when a ref is named; otherwise its folder is packed as it is, uncommitted files included.
        var isRepository = reference is not null && Directory.Exists(Path.Combine(Path.GetFullPath(url, currentDirectory), ".git"));
        if (Directory.Exists(path) && !isRepository)
        {
            var source = new PluginPackageSource("", $"dir {what}");
            source.File = await source.PackAsync(path, cancellationToken);
            return source;
        }

        if (isRepository || url.Contains("://", StringComparison.Ordinal) || url.StartsWith("git@", StringComparison.Ordinal) || url.EndsWith(".git", StringComparison.Ordinal))
        {
            var source = new PluginPackageSource("", reference is null ? $"git {url}" : $"git {url}#{reference}");
            var clone = source.Temporary("clone");
            await CloneAsync(isRepository ? Path.GetFullPath(url, currentDirectory) : url, reference, clone, cancellationToken);
            source.File = await source.PackAsync(clone, cancellationToken);
            return source;
        }

        throw new CliException($"'{what}' is not a folder, a .tar.gz file or a git URL; expected a plugin folder holding plugin.yaml (or manifest.json)", ExitCodes.Usage);
    }

    /// <summary>Opens the package for sending.</summary>
    public Stream Open() => System.IO.File.OpenRead(File);

    public ValueTask DisposeAsync()
    {
        foreach (var path in _temporary)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                System.IO.File.Delete(path);
            }
        }

        return ValueTask.CompletedTask;
    }

    private static (string Url, string? Ref) SplitRef(string what)
    {
        var hash = what.LastIndexOf('#');
        return hash > 0 && hash < what.Length - 1 ? (what[..hash], what[(hash + 1)..]) : (what, null);
    }

    private string Temporary(string kind)
    {
        var path = Path.Combine(Path.GetTempPath(), $"berth-plugin-{kind}-{Guid.NewGuid():N}");
        _temporary.Add(path);
        return path;
    }

    private async Task<string> PackAsync(string folder, CancellationToken cancellationToken)
    {
        var file = Temporary("package") + ".tar.gz";
        _temporary.Add(file);
        await using var output = System.IO.File.Create(file);
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, entry).Replace('\\', '/');
            if (relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal))
            {
                continue;
            }

            await tar.WriteEntryAsync(entry, relative, cancellationToken);
        }

        return file;
    }

    private static async Task CloneAsync(string url, string? reference, string into, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["clone", "--quiet", "--depth", "1", .. reference is null ? [] : (string[])["--branch", reference], "--", url, into])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var git = Process.Start(start) ?? throw new CliException("could not start git; install git to install plugins from a repository", ExitCodes.Failure);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(CloneTimeout);
        var errors = git.StandardError.ReadToEndAsync(bound.Token);
        _ = git.StandardOutput.ReadToEndAsync(bound.Token);
        try
        {
            await git.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            git.Kill(entireProcessTree: true);
            throw;
        }

        if (git.ExitCode != 0)
        {
            throw new CliException($"git clone of {url}{(reference is null ? "" : $"#{reference}")} failed: {(await errors).Trim()}", ExitCodes.Failure);
        }
    }
}
