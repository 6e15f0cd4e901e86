namespace Berth.Cli.Tests.Build;

/// <summary>
/// A stand-in <c>dagger</c> executable (Dagger itself cannot be installed here) in a folder of its own, to put first on PATH:
/// it records the folder it ran in and its arguments in <see cref="Record"/> and prints a line, so a test sees whether and how
/// <c>berth build</c> called it.
/// </summary>
internal sealed class StandInDagger : IDisposable
{
    public const string Printed = "stand-in dagger ran";

    public StandInDagger()
    {
        Directory.CreateDirectory(Folder);
        var script = Path.Combine(Folder, "dagger");
        File.WriteAllText(script, $"#!/bin/sh\npwd > '{Record}'\necho \"$@\" >> '{Record}'\necho '{Printed}'\necho 'stand-in dagger stderr' >&2\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"berth-dagger-{Guid.NewGuid():N}"[..26]);

    public string Record => Path.Combine(Folder, "called.txt");

    /// <summary>PATH with this folder first, then the test process's own.</summary>
    public string SearchPath => $"{Folder}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
