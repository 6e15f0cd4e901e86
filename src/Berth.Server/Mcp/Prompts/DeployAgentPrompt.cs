using System.ComponentModel;
using System.Globalization;
using Berth.Server.Mcp.Resources;
using Berth.Server.Problems;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Prompts;

/// <summary>
/// The <c>deploy_agent</c> prompt: guides a model to write a valid Agent spec for what the user wants to run (an image, a
/// build context or a local command) and to deploy it with the <c>apply</c> tool, citing the spec's real fields and defaults
/// (docs/specs.md), so the model does not invent fields that the server would refuse.
/// </summary>
[McpServerPromptType]
internal sealed class DeployAgentPrompt
{
    private const int MaxSourceLength = 500;

    [McpServerPrompt(Name = "deploy_agent", Title = "Deploy an agent")]
    [Description("Writes a Berth Agent spec (YAML) for an image, a build directory or a local command, and deploys it with the apply tool (operator role).")]
    public static GetPromptResult Get(
        [Description("What to run: an image (ghcr.io/acme/summarizer:1), a directory with a Dockerfile (./summarizer), or a local command (python3 app.py).")] string source,
        [Description("The agent's name: lowercase letters, digits and '-', at most 63 characters. Left out, the model proposes one.")] string? name = null,
        [Description("The port the agent listens on (1-65535; default 8000). A process agent gets a free port in PORT instead.")] string? port = null)
    {
        if (string.IsNullOrWhiteSpace(source) || source.Length > MaxSourceLength || source.Any(char.IsControl))
        {
            throw new McpProtocolException($"source must be an image, a directory or a command of at most {MaxSourceLength} characters, without control characters.", McpErrorCode.InvalidParams);
        }

        if (name is not null && !IsDnsLabel(name))
        {
            throw new McpProtocolException($"name must be a DNS label (lowercase letters, digits and '-', 1-63 characters, not starting or ending with '-'); got '{CallerText.Printable(name)}'.", McpErrorCode.InvalidParams);
        }

        int? listens = null;
        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
            {
                throw new McpProtocolException($"port must be a number from 1 to 65535; got '{CallerText.Printable(port)}'.", McpErrorCode.InvalidParams);
            }

            listens = parsed;
        }

        return new GetPromptResult
        {
            Description = $"Deploy {source} as a Berth agent",
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = DeployAgentText.For(source, name, listens) } }],
        };
    }

    private static bool IsDnsLabel(string text) =>
        text.Length is > 0 and <= 63 && text[0] != '-' && text[^1] != '-' && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
