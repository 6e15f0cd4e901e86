using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Core.Serialization;

/// <summary>
/// Writes and reads <typeparamref name="TEnum"/> as the API spells it (<c>on-failure</c>, <c>dead-lettered</c>). Put on each API enum
/// with <c>[JsonConverter]</c>: unlike the non-generic factory it needs no runtime code generation, so Native AOT clients can use it.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: true)
    where TEnum : struct, Enum;
