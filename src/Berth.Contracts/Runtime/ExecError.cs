namespace Berth.Core.Runtime;

/// <summary>The payload of an <see cref="ExecChannel.Error"/> message: why the session ended without an exit code.</summary>
/// <param name="Type">A problem type (<c>urn:berth:problem:exec-idle</c>, …).</param>
/// <param name="Title">A short summary.</param>
/// <param name="Detail">What happened and what to do.</param>
public sealed record ExecError(string Type, string Title, string Detail);
