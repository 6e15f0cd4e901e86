using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Launching;

/// <summary>Turns a spec's command into an executable path: absolute, relative to the working directory, or found on PATH.</summary>
internal static class CommandResolver
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static string Resolve(string command, string workingDirectory, string? searchPath)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new RuntimeException("process.command is empty; set it to a program path or a name on PATH", RuntimeErrorKind.Config);
        }

        if (Path.IsPathFullyQualified(command))
        {
            return IsExecutable(command)
                ? command
                : throw new RuntimeException($"process.command '{command}' is not an executable file; check the path and its execute permission", RuntimeErrorKind.Config);
        }

        if (command.Contains('/', StringComparison.Ordinal))
        {
            var candidate = Path.GetFullPath(command, workingDirectory);
            return IsExecutable(candidate)
                ? candidate
                : throw new RuntimeException($"process.command '{command}' resolved against the working directory to '{candidate}', which is not an executable file; check the path and its execute permission", RuntimeErrorKind.Config);
        }

        var directories = (searchPath ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, command);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw new RuntimeException(
            $"process.command '{command}' was not found as an executable on PATH ({string.Join(':', directories)}); install it or give an absolute path",
            RuntimeErrorKind.Config);
    }

    /// <summary>Finds a program the driver itself needs (<c>setsid</c>), looking in the usual places first.</summary>
    public static string? FindTool(string name)
    {
        string[] wellKnown = [$"/usr/bin/{name}", $"/bin/{name}", $"/usr/sbin/{name}", $"/sbin/{name}"];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name));
        return wellKnown.Concat(onPath).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            // The driver needs Linux (/proc, setsid); the guard only keeps the analyzer honest.
            return File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
