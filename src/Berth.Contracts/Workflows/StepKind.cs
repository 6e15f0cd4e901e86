using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Workflows;

/// <summary>What a step runs.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<StepKind>))]
public enum StepKind
{
    /// <summary>A container from an image, with files in and out through the engine's archive API.</summary>
    Container,

    /// <summary>A call to a deployed agent through Berth's proxy.</summary>
    Agent,

    /// <summary>A call to an installed plugin's <c>/execute</c>.</summary>
    Plugin,

    /// <summary>Another workflow, run as a child.</summary>
    Workflow,
}
