using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Workflows;

/// <summary>How retry delays grow.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<BackoffKind>))]
public enum BackoffKind
{
    /// <summary>The same delay each time.</summary>
    Constant,

    /// <summary>The delay grows by the initial delay each time.</summary>
    Linear,

    /// <summary>The delay doubles each time.</summary>
    Exponential,
}
