using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Workflows;

/// <summary>The type of a workflow input, checked when a run starts. Written in specs as <c>string</c>, <c>number</c>, <c>boolean</c>, <c>list</c>, <c>object</c>.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<InputType>))]
public enum InputType
{
    /// <summary>Text (<c>string</c>).</summary>
    [JsonStringEnumMemberName("string")]
    Text,

    /// <summary>A JSON number.</summary>
    [JsonStringEnumMemberName("number")]
    Number,

    /// <summary>true or false.</summary>
    [JsonStringEnumMemberName("boolean")]
    Boolean,

    /// <summary>A JSON array (for <c>forEach</c>).</summary>
    [JsonStringEnumMemberName("list")]
    List,

    /// <summary>A JSON object (<c>object</c>).</summary>
    [JsonStringEnumMemberName("object")]
    Map,
}
