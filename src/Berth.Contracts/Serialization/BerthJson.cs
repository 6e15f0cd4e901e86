using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Core.Serialization;

/// <summary>The JSON conventions of Berth's API: camelCase names, kebab-case enum values, durations as <c>30s</c>, nulls omitted, unknown members rejected.</summary>
public static class BerthJson
{
    /// <summary>Deepest nesting of objects and arrays a JSON body may have: 64. Reading recurses once per level, so the bound keeps a hostile body from exhausting the stack.</summary>
    public const int MaximumDepth = 64;

    /// <summary>Shared, read-only options; safe to use from any thread.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies Berth's conventions to options owned by someone else (ASP.NET's, for example).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxDepth = MaximumDepth;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.Converters.Add(new DurationJsonConverter());
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(
            SpecJsonContext.Default.WithAddedModifier(SpecDefaults.Modify),
            options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
