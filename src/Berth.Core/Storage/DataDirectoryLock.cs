namespace Berth.Core.Storage;

/// <summary>
/// The lock a server holds on its data directory while it runs: <c>{data-dir}/server.lock</c>, opened exclusively, which .NET
/// turns into an advisory <c>flock</c> that the kernel drops when the process ends, SIGKILL included. A second server on the
/// same directory, and <c>berth restore</c> or <c>berth migrate</c> on it, are refused while one runs.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the data directory.</summary>
    public const string FileName = "server.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>
    /// Takes the lock of <paramref name="dataDirectory"/> (which must exist), or throws an <see cref="IOException"/> saying a
    /// server runs there and, in <paramref name="remedy"/>, what to do.
    /// </summary>
    public static DataDirectoryLock Acquire(string dataDirectory, string remedy)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        try
        {
            return new DataDirectoryLock(new FileStream(path, options));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"a Berth server is running on {dataDirectory} (it holds {path}): {remedy}", e);
        }
    }

    /// <summary>Gives the lock up.</summary>
    public void Dispose() => _file.Dispose();
}
