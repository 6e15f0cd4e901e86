using System.Text.Json;
using Berth.Core.Security;
using Berth.Core.Runtime;

namespace Berth.Runtime.Process.State;

/// <summary>The folder of one instance: <c>{StateDirectory}/{instanceId}/</c> with its state file and logs.</summary>
internal sealed class ProcessInstanceFolder
{
    private ProcessInstanceFolder(string path, string instanceId)
    {
        Path = path;
        InstanceId = instanceId;
    }

    public string InstanceId { get; }

    public string Path { get; }

    public string StatePath => System.IO.Path.Combine(Path, "instance.json");

    public bool Exists => Directory.Exists(Path);

    /// <summary>Creates the folder (and the state directory) owner-only when missing.</summary>
    public void Create() => OwnerOnly.CreateDirectory(Path);

    // The id becomes a folder name, so it must not climb out of the state directory.
    public static ProcessInstanceFolder For(string stateDirectory, string instanceId) =>
        new(System.IO.Path.Combine(stateDirectory, InstanceIds.CheckSafe(instanceId)), instanceId);

    public string LogPath(LogSource source) =>
        System.IO.Path.Combine(Path, source == LogSource.Stdout ? "stdout.log" : "stderr.log");

    public string LogIndexPath(LogSource source) =>
        System.IO.Path.Combine(Path, source == LogSource.Stdout ? "stdout.idx" : "stderr.idx");

    public ProcessInstanceRecord? ReadState()
    {
        try
        {
            using var stream = File.OpenRead(StatePath);
            return JsonSerializer.Deserialize(stream, ProcessInstanceJsonContext.Default.ProcessInstanceRecord);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new RuntimeException($"state file {StatePath} is not valid JSON ({e.Message}); remove the instance or delete the file", RuntimeErrorKind.Config, e);
        }
    }

    /// <summary>
    /// Writes the state through a temporary file and a rename, so a crash never leaves half a file. The
    /// folder must exist: a late writer must not bring back an instance that was just removed.
    /// </summary>
    public void WriteState(ProcessInstanceRecord state)
    {
        var temporary = $"{StatePath}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, OwnerOnly.Write(FileMode.CreateNew)))
        {
            JsonSerializer.Serialize(stream, state, ProcessInstanceJsonContext.Default.ProcessInstanceRecord);
        }

        File.Move(temporary, StatePath, overwrite: true);
    }

    public static IEnumerable<string> ListInstanceIds(string stateDirectory) =>
        Directory.Exists(stateDirectory)
            ? Directory.EnumerateDirectories(stateDirectory).Select(System.IO.Path.GetFileName).OfType<string>()
            : [];
}
