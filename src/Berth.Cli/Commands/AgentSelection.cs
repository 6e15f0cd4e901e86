using System.CommandLine;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>The <c>NAME...</c> argument and <c>--all</c> option of verbs that act on agents.</summary>
internal sealed class AgentSelection
{
    public Argument<string[]> Names { get; } = new("name") { Description = "Agent names", Arity = ArgumentArity.ZeroOrMore };

    public Option<bool> All { get; } = new("--all") { Description = "Every agent" };

    public void AddTo(Command command)
    {
        command.Add(Names);
        command.Add(All);
    }

    /// <summary>The names given, or every agent's name with --all; a usage error when neither or both are given.</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(CliSession session, BerthClient client, CancellationToken cancellationToken)
    {
        var names = session.ParseResult.GetValue(Names) ?? [];
        var all = session.ParseResult.GetValue(All);
        if (names.Length > 0 && all)
        {
            throw new CliException("pass agent names or --all, not both", ExitCodes.Usage);
        }

        if (!all)
        {
            return names.Length > 0 ? names : throw new CliException("pass an agent name or --all", ExitCodes.Usage);
        }

        var agents = await client.ListAgentsAsync(cancellationToken);
        return agents.Select(a => a.Name).ToList();
    }

    /// <summary>Checks the same rules as <see cref="ResolveAsync"/> without contacting the server.</summary>
    public void Check(CliSession session)
    {
        var names = session.ParseResult.GetValue(Names) ?? [];
        var all = session.ParseResult.GetValue(All);
        if (names.Length > 0 == all)
        {
            throw new CliException(all ? "pass agent names or --all, not both" : "pass an agent name or --all", ExitCodes.Usage);
        }
    }
}
