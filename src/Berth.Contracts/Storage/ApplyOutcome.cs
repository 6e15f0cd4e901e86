using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Storage;

/// <summary>What an apply did to the stored resource.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ApplyOutcome>))]
public enum ApplyOutcome
{
    /// <summary>It did not exist and was created.</summary>
    Created,

    /// <summary>It existed and its spec changed.</summary>
    Updated,

    /// <summary>It existed with the same spec; nothing changed.</summary>
    Unchanged,
}
