namespace Berth.Bench.Workflows;

/// <summary>One docker run chain as the client saw it.</summary>
internal sealed record DockerChainRun(string Key, TimeSpan Elapsed, DateTimeOffset StartedAt, DateTimeOffset EndedAt);
