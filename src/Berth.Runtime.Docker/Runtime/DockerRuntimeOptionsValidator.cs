using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Checks <see cref="DockerRuntimeOptions"/> at start; every message names the key to set.</summary>
internal sealed class DockerRuntimeOptionsValidator : IValidateOptions<DockerRuntimeOptions>
{
    private const int MinAgentSubnetPrefix = 16;
    private const int MaxAgentSubnetPrefix = 29;

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

        CheckAgentSubnets(options, failures);

        // Set by the server from its own data directory, never by an operator: the key to fix is the server's.
        if (options.DataDirectory is not null && !Path.IsPathFullyQualified(options.DataDirectory))
        {
            failures.Add("Berth:DataDir must be an absolute path");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckAgentSubnets(DockerRuntimeOptions options, List<string> failures)
    {
        var prefixInBounds = options.AgentSubnetPrefix is >= MinAgentSubnetPrefix and <= MaxAgentSubnetPrefix;
        if (!prefixInBounds)
        {
            failures.Add($"Berth:Docker:AgentSubnetPrefix must be from {MinAgentSubnetPrefix} to {MaxAgentSubnetPrefix}; got {options.AgentSubnetPrefix}");
        }

        if (string.IsNullOrEmpty(options.AgentSubnets))
        {
            return;
        }

        if (!TryParseRange(options.AgentSubnets, out var range))
        {
            var shown = options.AgentSubnets.Length <= 64 ? options.AgentSubnets : options.AgentSubnets[..64] + "...";
            failures.Add($"Berth:Docker:AgentSubnets must be an IPv4 range in CIDR form with no host bits, such as 10.213.0.0/16; got '{shown}'");
        }
        else if (prefixInBounds && options.AgentSubnetPrefix <= range.PrefixLength)
        {
            failures.Add(
                $"Berth:Docker:AgentSubnetPrefix ({options.AgentSubnetPrefix}) must be longer than the prefix of Berth:Docker:AgentSubnets " +
                $"({options.AgentSubnets}), so the range holds more than one agent network");
        }
    }

    /// <summary>
    /// Reads <c>Berth:Docker:AgentSubnets</c>: an IPv4 network in CIDR form whose address has no host bits. <see cref="IPNetwork"/>
    /// would silently mask <c>10.213.0.1/16</c> to <c>10.213.0.0/16</c>; an operator who wrote that may have meant another range, so it is refused.
    /// </summary>
    internal static bool TryParseRange(string? text, out IPNetwork range) =>
        IPNetwork.TryParse(text, out range)
        && range.BaseAddress.AddressFamily == AddressFamily.InterNetwork
        && string.Equals(range.ToString(), text, StringComparison.Ordinal);
}
