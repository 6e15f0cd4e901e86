using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Cli.Auth;

/// <summary>
/// <c>~/.config/berth/context.json</c> (or <c>$XDG_CONFIG_HOME/berth/context.json</c>): the server and token saved by
/// <c>berth login</c>. It holds a credential, so it is created readable by the owner only (0600, directory 0700).
/// </summary>
internal sealed record CliContextFile(
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("token")] string Token)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Where the file lives for this environment; null when neither XDG_CONFIG_HOME nor HOME is set.</summary>
    public static string? PathFor(CliContext context)
    {
        var config = context.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : context.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? Path.Combine(home, ".config") : null;
        return config is null ? null : Path.Combine(config, "berth", "context.json");
    }

    /// <summary>The saved context, or null when there is none. A file that cannot be read is an error naming it.</summary>
    public static CliContextFile? Load(CliContext context)
    {
        var path = PathFor(context);
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            var saved = JsonSerializer.Deserialize(File.ReadAllText(path), CliContextFileJson.Default.CliContextFile);
            return saved is { Server.Length: > 0, Token.Length: > 0 } ? saved : throw new JsonException("server or token is missing");
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {exception.Message}; run 'berth login --server URL --token TOKEN' again, or delete the file", ExitCodes.Usage);
        }
    }

    /// <summary>Writes the file (replacing any previous one) so that it is never readable by other users, not even for a moment.</summary>
    public string Save(CliContext context)
    {
        var path = PathFor(context) ?? throw new CliException("cannot save the login: set HOME (or XDG_CONFIG_HOME)", ExitCodes.Usage);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            using (var stream = new FileStream(temporary, create))
            {
                JsonSerializer.Serialize(stream, this, CliContextFileJson.Default.CliContextFile);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return path;
    }
}
