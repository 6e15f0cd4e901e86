using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Cli.Commands.Init;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Init;

/// <summary>
/// A generated project's server started the way Berth starts a process agent or plugin (its command and args from the
/// template, in its folder, the port in <c>PORT</c>), with its idempotency record in a folder of the test's.
/// </summary>
internal sealed class TemplateProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private TemplateProcess(Process process, Uri address, string recordDirectory)
    {
        (_process, Address, RecordDirectory) = (process, address, recordDirectory);
    }

    public Uri Address { get; }

    public string RecordDirectory { get; }

    public string Output => string.Join('\n', _output);

    public static async Task<TemplateProcess> StartAsync(InitProject project, CancellationToken cancellationToken)
    {
        var language = TemplateLanguage.Find(project.Language);
        var start = new ProcessStartInfo(language.Command == "dotnet" ? Repository.Dotnet : language.Command)
        {
            WorkingDirectory = project.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in language.Args)
        {
            start.ArgumentList.Add(argument);
        }

        var address = new Uri($"http://127.0.0.1:{UnusedPort.Get()}/");
        var record = Path.Combine(project.ParentFolder, "record");
        start.Environment["PORT"] = address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["IDEMPOTENCY_DIR"] = record;
        var server = new TemplateProcess(Process.Start(start)!, address, record);
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.TrueAsync(
                async token =>
                {
                    if (server._process.HasExited)
                    {
                        throw new InvalidOperationException($"{project.Language} {project.Kind} exited with {server._process.ExitCode}:\n{server.Output}");
                    }

                    try
                    {
                        using var response = await http.GetAsync("health", token);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                $"the {project.Language} {project.Kind} to answer /health",
                TimeSpan.FromMinutes(3), // a .NET file-based app compiles at its first start
                cancellationToken);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
