using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Core.Serialization;

namespace Berth.Client;

/// <summary>The JSON options of the client and the <c>berth</c> CLI: the API's conventions over source-generated contracts only (Native AOT-safe).</summary>
public static class BerthClientJson
{
    /// <summary>Shared, read-only options that know every type the client sends or reads, and nothing else.</summary>
    public static JsonSerializerOptions Options { get; } = BerthJson.CreateOptions(ClientJsonContext.Default);

    /// <summary>The contract of <typeparamref name="T"/>; throws <see cref="NotSupportedException"/> when the client does not know the type.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
