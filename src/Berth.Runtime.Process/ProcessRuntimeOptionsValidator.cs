using Microsoft.Extensions.Options;

namespace Berth.Runtime.Process;

/// <summary>Checks <see cref="ProcessRuntimeOptions"/> at start; every message names the key to set.</summary>
internal sealed class ProcessRuntimeOptionsValidator : IValidateOptions<ProcessRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, ProcessRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // The server keeps the driver's state in {Berth:DataDir}/process; no operator sets it on its own.
        Check(failures, Path.IsPathFullyQualified(options.StateDirectory), "Berth:DataDir must be an absolute path (the process driver keeps its state in it)");
        Check(failures, options.StopGrace >= TimeSpan.Zero, "Berth:Process:StopGrace must not be negative");
        Check(failures, Path.IsPathFullyQualified(options.AgentsDirectory), "Berth:Process:AgentsDirectory must be an absolute path");
        Check(failures, Path.IsPathFullyQualified(options.FilesDirectory), "Berth:FilesDirectory must be an absolute path");
        Check(failures, Enum.IsDefined(options.Isolation), "Berth:Process:Isolation must be auto, user, bubblewrap or none");
        Check(failures, options.AgentUserBase > 0 && options.AgentUserCount > 0 && options.AgentUserBase + (ulong)options.AgentUserCount < uint.MaxValue,
            "Berth:Process:AgentUserBase and Berth:Process:AgentUserCount must give uids between 1 and 4294967294");
        Check(failures, options.LogMaxBytes >= ProcessAgentRuntime.MinLogMaxBytes, $"Berth:Process:LogMaxBytes must be at least {ProcessAgentRuntime.MinLogMaxBytes} (bytes)");
        Check(failures, options.LogMaxFiles >= 1, "Berth:Process:LogMaxFiles must be at least 1");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, bool valid, string message)
    {
        if (!valid)
        {
            failures.Add(message);
        }
    }
}
