using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;

namespace Berth.Core.Workflows.Expressions;

/// <summary>What expressions can see while a step is prepared: the run's inputs, finished steps' outputs, and the <c>forEach</c> item.</summary>
public sealed record ExpressionScope
{
    /// <summary>The run's inputs (defaults filled in). Default empty.</summary>
    public JsonObject Inputs { get; init; } = [];

    /// <summary>What started the run (<c>trigger.message</c>); null when no trigger did.</summary>
    public JsonObject? Trigger { get; init; }

    /// <summary>Outputs of the steps that finished, by step id. Default empty.</summary>
    public IReadOnlyDictionary<string, StepOutputs> Steps { get; init; } = new Dictionary<string, StepOutputs>();

    /// <summary>The current <c>forEach</c> item (<c>item</c>); null outside a <c>forEach</c> step or for a null item.</summary>
    public JsonNode? Item { get; init; }

    /// <summary>The current <c>forEach</c> item's position from 0 (<c>index</c>); null outside a <c>forEach</c> step.</summary>
    public int? Index { get; init; }

    /// <summary>Reads an output file's content from the artifact store (<c>files['/path']</c>). Default: fails, naming the file.</summary>
    public Func<ArtifactRef, byte[]> ReadFile { get; init; } = NoFiles;

    private static byte[] NoFiles(ArtifactRef file) =>
        throw new ExpressionException($"file {file.Sha256} cannot be read: this scope has no artifact store");
}
