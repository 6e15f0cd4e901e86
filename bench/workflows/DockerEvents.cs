using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Berth.Bench.Workflows;

/// <summary>
/// Follows the engine's container events (<c>docker events</c>) while a part runs. It must follow live: the engine keeps only
/// its last 256 events, which other work on a shared engine overwrites within seconds. Only containers with a
/// <c>berth.run</c> or <see cref="DockerChain.Label"/> label are kept (label filters of <c>docker events</c> all have to match,
/// so the choice is made here).
/// </summary>
internal sealed class DockerEvents : IDisposable
{
    private readonly Process _process;
    private readonly Task _reading;
    private readonly Dictionary<string, ContainerEvents> _containers = new(StringComparer.Ordinal);

    private DockerEvents(Process process)
    {
        _process = process;
        _reading = ReadAsync();
    }

    /// <summary>Starts following, from <paramref name="since"/> (a little before now, so nothing between start-up and the first event is missed).</summary>
    public static DockerEvents Follow(string docker, DateTimeOffset since)
    {
        var start = new ProcessStartInfo(docker) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            "events", "--since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "--filter", "type=container",
            "--format", "{{json .}}",
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new DockerEvents(Process.Start(start) ?? throw new BenchException($"could not start '{docker} events'"));
    }

    /// <summary>Waits <paramref name="settle"/> for the last events to arrive, stops following and returns every container seen.</summary>
    public async Task<IReadOnlyList<ContainerEvents>> StopAsync(TimeSpan settle, CancellationToken cancellationToken)
    {
        await Task.Delay(settle, cancellationToken);
        if (_process.HasExited)
        {
            throw new BenchException($"'docker events' stopped early (exit {_process.ExitCode}): {(await _process.StandardError.ReadToEndAsync(cancellationToken)).Trim()}");
        }

        _process.Kill();
        await _reading;
        lock (_containers)
        {
            return _containers.Values.ToList();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        await Task.Yield();
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var id = root.GetProperty("id").GetString()!;
            var attributes = root.GetProperty("Actor").GetProperty("Attributes");
            if (!attributes.TryGetProperty("berth.run", out _) && !attributes.TryGetProperty(DockerChain.Label, out _))
            {
                continue;
            }

            var time = DateTimeOffset.UnixEpoch.AddTicks(root.GetProperty("timeNano").GetInt64() / 100);
            lock (_containers)
            {
                if (!_containers.TryGetValue(id, out var container))
                {
                    var labels = attributes.EnumerateObject()
                        .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
                    _containers[id] = container = new ContainerEvents(id, labels);
                }

                container.Record(root.GetProperty("Action").GetString(), time);
            }
        }
    }
}
