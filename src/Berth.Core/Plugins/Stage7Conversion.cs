using System.Text.Json.Nodes;
using Berth.Core.Specs;

namespace Berth.Core.Plugins;

/// <summary>A Stage7 <c>manifest.json</c> turned into a <c>kind: Plugin</c> document, with a note per converted or dropped field.</summary>
/// <param name="Document">The <c>apiVersion: berth/v1</c>, <c>kind: Plugin</c> document, read then like a <c>plugin.yaml</c>.</param>
/// <param name="Notes">What became what, and what was dropped.</param>
/// <param name="Errors">Fields that could not be converted, each with its path in the manifest.</param>
public sealed record Stage7Conversion(JsonObject Document, IReadOnlyList<string> Notes, IReadOnlyList<SpecError> Errors);
