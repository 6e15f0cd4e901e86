using Berth.Testing.Llm;

namespace Berth.Bench.Llm;

/// <summary>
/// <c>llm-bench provider --url-file FILE</c>: runs <see cref="FakeModelProvider"/> on 127.0.0.1 in a process of its own until
/// SIGTERM or Ctrl+C, and writes its OpenAI base URL to FILE once it listens (written whole, then renamed, so a reader never
/// sees half of it).
/// </summary>
internal static class ProviderHost
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken stop)
    {
        var (values, _) = BenchOptions.Pairs(args);
        if (!values.TryGetValue("url-file", out var urlFile) || urlFile.Length == 0)
        {
            throw new BenchException("provider: --url-file must name the file to write the provider's base URL to");
        }

        await using var provider = await FakeModelProvider.StartAsync(stop);
        provider.KeepCalls = false;
        var partial = urlFile + ".partial";
        await File.WriteAllTextAsync(partial, provider.OpenAIBaseUrl + "\n", stop);
        File.Move(partial, urlFile, overwrite: true);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Console.Error.WriteLineAsync(
            $"    fake provider: working set {Environment.WorkingSet / (1024 * 1024)} MiB, " +
            $"{GC.CollectionCount(2)} gen2 collections");
        return 0;
    }
}
