namespace Berth.Server.Workflows.Caching;

/// <summary>A step's cache key and the parts it hashes (part name → keyed hash), kept so a miss can be explained.</summary>
internal sealed record StepCacheKey(string Key, IReadOnlyDictionary<string, string> Parts);
