namespace Berth.Server.Plugins.Contract;

/// <summary>The <c>context</c> of a call: its id, the run and step that made it (if any), and when the caller stops waiting.</summary>
internal sealed record ExecuteContext(string InvocationId, string? RunId, string? StepId, DateTimeOffset Deadline);
