using System.Text.Json;
using Berth.Core.Runtime;
using Berth.Core.Security;

namespace Berth.Runtime.Process.Isolation;

/// <summary>
/// Gives every agent name a uid of its own from a range no account uses, and remembers it in
/// <c>{StateDirectory}/agent-users.json</c>, so an agent keeps its uid (and the files it owns) across restarts and a removed
/// agent's uid is never handed to another name. The file is read on every call: servers sharing a store on one host share it,
/// and the one leading now may have added names since this one last looked.
/// </summary>
internal sealed class AgentUserTable(string stateDirectory, uint firstId, uint count)
{
    private readonly Lock _gate = new();

    private string FilePath => Path.Combine(stateDirectory, "agent-users.json");

    public AgentUser For(string agentName)
    {
        lock (_gate)
        {
            var users = Load();
            if (users.TryGetValue(agentName, out var known))
            {
                return new AgentUser(known);
            }

            var next = users.Count == 0 ? firstId : users.Values.Max() + 1;
            if (next - firstId >= count)
            {
                throw new RuntimeException(
                    $"all {count} agent uids from {firstId} are taken; raise Berth:Process:AgentUserCount",
                    RuntimeErrorKind.Config);
            }

            users[agentName] = next;
            Save(users);
            return new AgentUser(next);
        }
    }

    private Dictionary<string, uint> Load()
    {
        try
        {
            using var stream = File.OpenRead(FilePath);
            return JsonSerializer.Deserialize(stream, AgentUserJsonContext.Default.DictionaryStringUInt32)
                ?? new Dictionary<string, uint>(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Dictionary<string, uint>(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new RuntimeException($"{FilePath} is not valid JSON ({e.Message}); restore it from a backup (deleting it would give agents new uids)", RuntimeErrorKind.Config, e);
        }
    }

    private void Save(Dictionary<string, uint> users)
    {
        Directory.CreateDirectory(stateDirectory);
        var temporary = $"{FilePath}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, OwnerOnly.Write(FileMode.CreateNew)))
        {
            JsonSerializer.Serialize(stream, users, AgentUserJsonContext.Default.DictionaryStringUInt32);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}
