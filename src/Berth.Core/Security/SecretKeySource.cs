namespace Berth.Core.Security;

/// <summary>
/// Finds the secrets key: <c>BERTH_SECRETS_KEY</c> (base64 of 32 bytes) when set, else <c>secrets.key</c> in the data
/// directory, created on first use readable by the owner only (0600 from the moment it exists).
/// </summary>
public static class SecretKeySource
{
    /// <summary>The environment variable that supplies the key to servers: base64 of 32 random bytes.</summary>
    public const string EnvironmentVariable = "BERTH_SECRETS_KEY";

    /// <summary>The key file's name inside the data directory.</summary>
    public const string FileName = "secrets.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                              UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// The key from <paramref name="environmentValue"/> (the value of <see cref="EnvironmentVariable"/>) when it is set,
    /// else from the key file in <paramref name="dataDirectory"/>, creating it when missing. Throws
    /// <see cref="SecretKeyException"/> naming the variable or file when the key is malformed or the file is readable by others.
    /// </summary>
    public static SecretKey Load(string dataDirectory, string? environmentValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            return Parse(environmentValue, $"{EnvironmentVariable} must be the base64 encoding of {SecretKey.Length} random bytes (for example the output of 'head -c 32 /dev/urandom | base64')");
        }

        var path = Path.Combine(dataDirectory, FileName);
        return File.Exists(path) ? ReadFile(path) : CreateFile(dataDirectory, path);
    }

    private static SecretKey ReadFile(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            throw new SecretKeyException($"{path} may be read by other users (mode {Octal(mode)}); run 'chmod 600 {path}' so only the server's user can read the secrets key");
        }

        return Parse(File.ReadAllText(path), $"{path} must hold the base64 encoding of {SecretKey.Length} bytes; restore it from a backup, or set {EnvironmentVariable}");
    }

    private static SecretKey CreateFile(string dataDirectory, string path)
    {
        Directory.CreateDirectory(dataDirectory, OwnerOnly | UnixFileMode.UserExecute);
        var key = SecretKey.Generate();

        // Written to a private temporary file, then linked into place without overwriting: the key file is never
        // readable by others, never half-written, and two servers starting at once agree on one key.
        var temporary = Path.Combine(dataDirectory, $".{FileName}.{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ToBase64());
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return ReadFile(path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static SecretKey Parse(string text, string problem)
    {
        var bytes = new byte[SecretKey.Length + 3];
        if (!Convert.TryFromBase64String(text.Trim(), bytes, out var written) || written != SecretKey.Length)
        {
            throw new SecretKeyException(problem);
        }

        return SecretKey.FromBytes(bytes.AsSpan(0, written));
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
