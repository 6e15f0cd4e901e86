using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Specs;

/// <summary>Which exits lead to a restart.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<RestartPolicy>))]
public enum RestartPolicy
{
    /// <summary>Restart after every exit.</summary>
    Always,

    /// <summary>Restart only after a non-zero exit code.</summary>
    OnFailure,

    /// <summary>Never restart; an exited instance stays exited.</summary>
    Never,
}
