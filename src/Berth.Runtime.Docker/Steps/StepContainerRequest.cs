using System.Globalization;
using System.Text;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Steps;

/// <summary>What the engine is asked to create for one attempt, and the archive of its input files.</summary>
internal static class StepContainerRequest
{
    /// <summary>
    /// Capabilities a step keeps after dropping all: those ordinary shell work as root needs (owning and writing files
    /// that belong to other users, switching users, signalling its own children). Raw sockets, device nodes, chroot,
    /// file capabilities and binding low ports stay dropped.
    /// </summary>
    public static readonly IReadOnlyList<string> Capabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "SETUID", "SETGID", "KILL"];

    // Files are data, not programs: a step runs a script with `sh /in/run.sh`.
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The container's name: <c>berth-step-{run}-{step}-{attempt}</c>, with characters the engine refuses replaced by '-'.</summary>
    public static string Name(ContainerStepLaunch launch) =>
        Sanitize(string.Create(CultureInfo.InvariantCulture, $"berth-step-{launch.RunId}-{launch.StepId}-{launch.Attempt}"));

    public static ContainerCreateRequest Create(ContainerStepLaunch launch)
    {
        var env = new List<string>(launch.Env.Count);
        foreach (var (key, value) in launch.Env)
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
            {
                throw new StepRunException(ErrorClass.Config, $"step '{launch.StepId}' has an environment variable named '{key}': a name must be non-empty, without '=' or NUL");
            }

            env.Add(key + "=" + value);
        }

        var memory = launch.Resources?.MemoryBytes;
        return new ContainerCreateRequest
        {
            Image = launch.Image,
            Entrypoint = launch.Command.Count > 0 ? launch.Command : null,
            Cmd = launch.Args.Count > 0 ? launch.Args : null,
            Env = env,
            WorkingDir = string.IsNullOrEmpty(launch.Workdir) ? null : launch.Workdir,
            Labels = new Dictionary<string, string>
            {
                [DockerLabels.Managed] = "true",
                [DockerLabels.Owner] = launch.Owner,
                [StepLabels.Run] = launch.RunId,
                [StepLabels.Step] = launch.StepId,
                [StepLabels.Attempt] = launch.Attempt.ToString(CultureInfo.InvariantCulture),
            },
            HostConfig = new HostConfig
            {
                RestartPolicy = new RestartPolicy { Name = "no" },
                Memory = memory ?? 0,

                // Swap as large as the limit keeps the step from swapping, so on a host with swap the limit is real and an overrun is an OOM kill.
                MemorySwap = memory,
                NanoCpus = launch.Resources?.Cpus is { } cpus ? (long)Math.Round(cpus * 1e9) : 0,
                CapDrop = ["ALL"],
                CapAdd = Capabilities,
                SecurityOpt = ["no-new-privileges"],
                Privileged = false,
            },
        };
    }

    /// <summary>
    /// One tar of <paramref name="directories"/> (output directories the image lacks) and the input files, named relative to
    /// <c>/</c>; null when there is nothing. The engine creates missing parent directories.
    /// </summary>
    public static async Task<MemoryStream?> FilesArchiveAsync(ContainerStepLaunch launch, IReadOnlyList<string> directories, CancellationToken cancellationToken)
    {
        if (launch.Files.Count == 0 && directories.Count == 0)
        {
            return null;
        }

        var tar = new TarBuilder();
        foreach (var directory in directories)
        {
            tar.AddDirectory(directory, StepOutputDirectories.Mode);
        }

        foreach (var (path, content) in launch.Files)
        {
            if (!path.StartsWith('/'))
            {
                throw new StepRunException(ErrorClass.Config, $"step '{launch.StepId}' file '{path}' must be an absolute path in the container (like /in/{path})");
            }

            try
            {
                tar.AddFile(path, content, FileMode);
            }
            catch (ArgumentException ex)
            {
                throw new StepRunException(ErrorClass.Config, $"step '{launch.StepId}' file '{path}' must name a file below /, without '..' segments or NUL", ex);
            }
        }

        return await tar.ToStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        }

        return builder.ToString();
    }
}
