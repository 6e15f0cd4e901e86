using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Runtime;

/// <summary>Which output stream a log line came from.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<LogSource>))]
public enum LogSource
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
