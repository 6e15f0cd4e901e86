using System.Text.Json;
using Berth.Core.Runtime;
using Berth.Core.Serialization;

namespace Berth.Server.Tests.Support;

/// <summary>
/// Follows an agent's log stream while something keeps making the agent write, until a matching line
/// arrives. A line written while the follow is being set up may fall before its starting point
/// (<c>tail=0</c>), so producing once would race; producing until seen does not.
/// </summary>
internal static class LogFollower
{
    public static async Task<(LogEntry Entry, string ContentType)> WaitForLineAsync(
        HttpClient http, string logsUrl, Func<CancellationToken, Task> produce, Func<LogEntry, bool> match, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(logsUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        using var producing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync(produce, producing.Token);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var entry = JsonSerializer.Deserialize<LogEntry>(line, BerthJson.Options)!;
                if (match(entry))
                {
                    return (entry, response.Content.Headers.ContentType?.MediaType ?? string.Empty);
                }
            }

            throw new InvalidOperationException("the followed log stream ended before a matching line arrived");
        }
        finally
        {
            await producing.CancelAsync();
            await producer;
        }
    }

    private static async Task ProduceAsync(Func<CancellationToken, Task> produce, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await produce(cancellationToken);
                await Task.Delay(250, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The line was seen (or the test gave up): stop producing.
        }
    }
}
