using Berth.Core.Storage;

namespace Berth.Server.Agents;

/// <summary>What applying one document of a spec text did (<see cref="SpecApplier"/>).</summary>
/// <param name="Kind">The document's kind: <c>Agent</c> or <c>Workflow</c>.</param>
/// <param name="Name">Its <c>metadata.name</c>.</param>
/// <param name="Outcome">Created, updated or unchanged.</param>
internal sealed record AppliedDocument(string Kind, string Name, ApplyOutcome Outcome);
