using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Core.Serialization;

/// <summary>The JSON conventions of Berth's API: camelCase names, kebab-case enum values, durations as <c>30s</c>, nulls omitted, unknown members rejected.</summary>
public static class BerthJson
{
    /// <summary>Deepest nesting of objects and arrays a JSON body may have: 64. Reading recurses once per level, so the bound keeps a hostile body from exhausting the stack.</summary>
    public const int MaximumDepth = 64;

    private const string ReflectionGuarded =
        "Reflection is used only when JsonSerializer.IsReflectionEnabledByDefault, a feature switch that trimmed and AOT apps turn off, removing the branch.";

    // Declared first: static initialisers run in order, and Options needs it.
    private static IJsonTypeInfoResolver SpecResolver { get; } = SpecJsonContext.Default.WithAddedModifier(SpecDefaults.Modify);

    /// <summary>Shared, read-only options; safe to use from any thread.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies Berth's conventions to options owned by someone else (ASP.NET's, for example).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionGuarded)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionGuarded)]
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxDepth = MaximumDepth;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new DurationJsonConverter());
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            // The server's own types (JIT) still use reflection and its enums no attribute; the API's enums carry
            // KebabCaseEnumConverter<T>, and a trimmed or AOT app (the CLI) sees only source-generated contracts.
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            options.TypeInfoResolver = JsonTypeInfoResolver.Combine(SpecResolver, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
        }
        else
        {
            options.TypeInfoResolver = options.TypeInfoResolver is { } existing ? JsonTypeInfoResolver.Combine(SpecResolver, existing) : SpecResolver;
        }
    }

    /// <summary>
    /// Read-only options with Berth's conventions whose contracts come only from source-generated contexts: the spec kinds and
    /// <paramref name="contracts"/>. No reflection, so they work the same under Native AOT; a type neither knows is an error.
    /// </summary>
    public static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver contracts)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            MaxDepth = MaximumDepth,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(SpecResolver, contracts),
        };
        options.Converters.Add(new DurationJsonConverter());
        options.MakeReadOnly();
        return options;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly();
        return options;
    }
}
