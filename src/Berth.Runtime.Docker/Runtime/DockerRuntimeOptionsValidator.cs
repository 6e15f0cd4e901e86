using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Checks <see cref="DockerRuntimeOptions"/> at start; every message names the key to set.</summary>
internal sealed class DockerRuntimeOptionsValidator : IValidateOptions<DockerRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, DockerRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Path.IsPathFullyQualified(options.Socket))
        {
            failures.Add("Berth:Docker:Socket must be an absolute path to the engine's unix socket");
        }

        if (options.StopGrace < TimeSpan.Zero)
        {
            failures.Add("Berth:Docker:StopGrace must not be negative");
        }

        if (string.IsNullOrEmpty(options.NetworkPrefix))
        {
            failures.Add("Berth:Docker:NetworkPrefix must not be empty");
        }

        // Set by the server from its own data directory, never by an operator: the key to fix is the server's.
        if (options.DataDirectory is not null && !Path.IsPathFullyQualified(options.DataDirectory))
        {
            failures.Add("Berth:DataDir must be an absolute path");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
