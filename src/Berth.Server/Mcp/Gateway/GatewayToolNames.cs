using System.Security.Cryptography;
using System.Text;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// The name a gateway client sees for an agent's tool: <c>{agent}__{tool}</c>, of letters, digits, '_' and '-' only and at
/// most <see cref="MaxLength"/> characters, which is what the OpenAI and Anthropic tool APIs accept. Any other character of the
/// tool's name becomes '_'; a longer name keeps its first characters and ends with a hash of the whole, so it stays unique.
/// </summary>
internal static class GatewayToolNames
{
    public const int MaxLength = 64;

    public const string Separator = "__";

    // 8 hex characters and a '_' replace the end of an over-long name.
    private const int HashLength = 9;

    public static string Expose(string agent, string tool)
    {
        var builder = new StringBuilder(agent.Length + Separator.Length + tool.Length).Append(agent).Append(Separator);
        foreach (var c in tool)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        var name = builder.ToString();
        if (name.Length <= MaxLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{agent}/{tool}")))[..(HashLength - 1)];
        return $"{name[..(MaxLength - HashLength)]}_{hash}";
    }

    /// <summary>Whether <paramref name="tool"/> reaches the client as written (else it was rewritten, and the log says so).</summary>
    public static bool IsVerbatim(string agent, string tool, string exposed) => exposed == $"{agent}{Separator}{tool}";
}
