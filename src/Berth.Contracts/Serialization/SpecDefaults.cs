using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Core.Serialization;

/// <summary>
/// Writes a spec as its author would: fields holding their default (an empty list, <c>replicas: 1</c>, a default
/// <c>health</c> block) are left out, and so are values Berth derives (<c>kind</c>), which a spec cannot set.
/// Reading applies the same defaults, so what is written reads back equal. Applied to the contracts of <see cref="SpecJsonContext"/>.
/// </summary>
internal static class SpecDefaults
{
    public static void Modify(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        // The record as read from {}: its defaults. Lazy, because the contract is still being built here.
        var defaults = new Lazy<object?>(() => JsonSerializer.Deserialize("{}", info.Options.GetTypeInfo(info.Type)));
        foreach (var property in info.Properties)
        {
            if (property.Set is null)
            {
                property.ShouldSerialize = static (_, _) => false;
                continue;
            }

            var get = property.Get;
            property.ShouldSerialize = (_, value) => value is not null && !IsDefault(value, defaults.Value is { } d ? get?.Invoke(d) : null);
        }
    }

    private static bool IsDefault(object value, object? fallback) => (value, fallback) switch
    {
        (ICollection { Count: 0 }, null) => true,
        (IEnumerable items, IEnumerable defaults) when value is not string => items.Cast<object?>().SequenceEqual(defaults.Cast<object?>()),
        _ => Equals(value, fallback),
    };
}
