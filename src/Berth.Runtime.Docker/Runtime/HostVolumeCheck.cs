using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// The check of a volume's host path on the machine itself, run when an agent is applied and again when its container is
/// created (the filesystem may change in between): the path as written and its real path, every link followed, must pass
/// <see cref="HostPathPolicy"/>, and the real path must be a directory, a regular file or not exist yet — never a socket,
/// device or pipe, whatever it is named.
/// </summary>
internal static class HostVolumeCheck
{
    /// <summary>Why <paramref name="source"/> may not be mounted, or null; <paramref name="real"/> is its real path, to mount instead.</summary>
    public static string? Check(string source, IReadOnlyList<ProtectedHostPath> protectedPaths, out string real)
    {
        real = source;
        if (HostPathPolicy.Check(source, protectedPaths) is { } byName)
        {
            return byName;
        }

        try
        {
            real = HostPathResolver.Resolve(source);
        }
        catch (RuntimeException ex)
        {
            return ex.Message;
        }

        if (HostPathPolicy.Check(real, protectedPaths) is { } viaLink)
        {
            return $"{source} resolves to {real} through a symbolic link, and {viaLink}";
        }

        if (HostFileKind.Refusal(real) is { } kind)
        {
            var shown = real == source ? source : $"{source} (really {real})";
            return $"{shown} {kind}; mount a directory or a regular file instead";
        }

        return null;
    }

    /// <summary>
    /// What no volume may mount or contain besides the built-in system paths: the engine's socket, Berth's data directory and
    /// the area holding agents' secret files, each as configured and as its real path.
    /// </summary>
    public static List<ProtectedHostPath> ProtectedPaths(string engineSocket, string? dataDirectory, string? filesDirectory, string? agentsDirectory)
    {
        var engine = "the Docker engine's socket, which gives control of the engine";
        var paths = new List<ProtectedHostPath> { new(engineSocket, engine), new(RealOrWritten(engineSocket), engine) };
        if (dataDirectory is not null)
        {
            paths.Add(HostPathPolicy.DataDirectory(dataDirectory));
            paths.Add(HostPathPolicy.DataDirectory(RealOrWritten(dataDirectory)));
        }

        if (filesDirectory is not null)
        {
            var files = "the files (secrets included) Berth gives its agents";
            paths.Add(new(filesDirectory, files));
            paths.Add(new(RealOrWritten(filesDirectory), files));
        }

        if (agentsDirectory is not null)
        {
            var homes = "the process agents' private homes";
            paths.Add(new(agentsDirectory, homes));
            paths.Add(new(RealOrWritten(agentsDirectory), homes));
        }

        return paths;
    }

    // a protected path the server cannot resolve is still protected as written; the volume's own check fails on such paths anyway
    private static string RealOrWritten(string path)
    {
        try
        {
            return HostPathResolver.Resolve(path);
        }
        catch (RuntimeException)
        {
            return path;
        }
    }
}
