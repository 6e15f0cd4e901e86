using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Security;

namespace Berth.Server.Workflows.Caching;

/// <summary>
/// Builds content-addressed cache keys for steps. Every part is an HMAC keyed by a key derived from the server's secrets key,
/// so stored parts reveal nothing about the values they stand for (secrets included), and the key is the hash of all parts.
/// </summary>
internal sealed class CacheKeyBuilder(SecretCipher cipher)
{
    private readonly byte[] _hashKey = cipher.DeriveKey("berth:step-cache");

    /// <summary>The key of a container step: image ID, entrypoint, command, environment, working directory, input files and output paths.</summary>
    public StepCacheKey Container(
        string imageId,
        IReadOnlyList<string> command,
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> env,
        string? workdir,
        IReadOnlyDictionary<string, byte[]> files,
        IReadOnlyList<string> outputs)
    {
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kind"] = Hash("container"),
            ["image"] = Hash(imageId),
            ["command"] = Hash(JsonSerializer.Serialize(command)),
            ["args"] = Hash(JsonSerializer.Serialize(args)),
            ["workdir"] = Hash(workdir ?? string.Empty),
            ["outputs"] = Hash(JsonSerializer.Serialize(outputs)),
        };
        foreach (var (name, value) in env)
        {
            parts[$"env.{name}"] = Hash(value);
        }

        foreach (var (path, content) in files)
        {
            parts[$"file:{path}"] = Hash(content);
        }

        return Seal(parts);
    }

    /// <summary>The key of an agent step (only used when the step asks for caching): agent, method, path, headers and body.</summary>
    public StepCacheKey Agent(string agent, string method, string path, IReadOnlyDictionary<string, string> headers, string? body) =>
        Call("agent", agent, method, path, headers, body);

    /// <summary>
    /// The key of an agent step by capability (only used when the step asks for caching): the capability, never the provider that
    /// happened to serve, so any provider's answer is reused.
    /// </summary>
    public StepCacheKey Capability(string capability, string method, string path, IReadOnlyDictionary<string, string> headers, string? body) =>
        Call("capability", capability, method, path, headers, body);

    /// <summary>
    /// The key of a plugin step (a deterministic plugin's, or one that asks for caching): the plugin's id and resolved version,
    /// the digest of its installed package, its image's ID when it runs from one, and each input's value.
    /// </summary>
    public StepCacheKey Plugin(string id, string version, string packageDigest, string? imageId, JsonObject inputs)
    {
        var parts = Inputs(inputs);
        parts["kind"] = Hash("plugin");
        parts["plugin"] = Hash(id);
        parts["version"] = Hash(version);
        parts["package"] = Hash(packageDigest);
        if (imageId is not null)
        {
            parts["image"] = Hash(imageId);
        }

        return Seal(parts);
    }

    /// <summary>
    /// The key of a plugin step by capability (only used when the step asks for caching): the capability and each input's value,
    /// never the plugin that happened to serve, so any provider's outputs are reused.
    /// </summary>
    public StepCacheKey PluginCapability(string capability, JsonObject inputs)
    {
        var parts = Inputs(inputs);
        parts["kind"] = Hash("plugin-capability");
        parts["capability"] = Hash(capability);
        return Seal(parts);
    }

    // One part per input, so a miss names the input that changed.
    private SortedDictionary<string, string> Inputs(JsonObject inputs)
    {
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            parts[$"input.{name}"] = Hash(CanonicalJson.Of(value));
        }

        return parts;
    }

    private StepCacheKey Call(string kind, string target, string method, string path, IReadOnlyDictionary<string, string> headers, string? body)
    {
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kind"] = Hash(kind == "agent" ? "agent" : "agent-capability"),
            [kind] = Hash(target),
            ["method"] = Hash(method),
            ["path"] = Hash(path),
            ["body"] = Hash(body ?? string.Empty),
        };
        foreach (var (name, value) in headers)
        {
            parts[$"header.{name.ToLowerInvariant()}"] = Hash(value);
        }

        return Seal(parts);
    }

    private static StepCacheKey Seal(SortedDictionary<string, string> parts)
    {
        var text = new StringBuilder();
        foreach (var (name, hash) in parts)
        {
            text.Append(name).Append('=').Append(hash).Append('\n');
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return new StepCacheKey(key, parts);
    }

    private string Hash(string value) => Hash(Encoding.UTF8.GetBytes(value));

    private string Hash(byte[] value) => Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, value));
}
