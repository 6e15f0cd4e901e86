using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth get agents</c> and <c>berth get agent NAME</c>, as a table, JSON or YAML.</summary>
internal static class GetCommand
{
    public static Command Create(CliContext context)
    {
        var listOutput = GlobalOptions.CreateOutput();
        var list = new Command("agents", "List every agent") { listOutput };
        list.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var agents = await client.ListAgentsAsync(cancellationToken);
            Write(session, agents, session.ParseResult.GetValue(listOutput));
            return ExitCodes.Ok;
        });

        var name = new Argument<string>("name") { Description = "The agent's name" };
        var oneOutput = GlobalOptions.CreateOutput();
        var one = new Command("agent", "Show one agent") { name, oneOutput };
        one.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var agent = await client.GetAgentAsync(session.ParseResult.GetRequiredValue(name), cancellationToken);
            var format = session.ParseResult.GetValue(oneOutput);
            if (format == OutputFormat.Table)
            {
                Write(session, [agent], format);
            }
            else
            {
                DataWriter.Write(session.Out, agent, format);
            }

            return ExitCodes.Ok;
        });

        return new Command("get", "Show resources") { list, one };
    }

    private static void Write(CliSession session, IReadOnlyList<AgentView> agents, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            DataWriter.Write(session.Out, agents, format);
            return;
        }

        if (agents.Count == 0)
        {
            session.Console.WriteLine("no agents; create one with 'berth apply -f FILE'");
            return;
        }

        var now = session.Context.Time.GetUtcNow();
        var table = new Table().NoBorder().AddColumns("NAME", "STATE", "READY", "RUNTIME", "SOURCE", "AGE");
        foreach (var agent in agents)
        {
            table.AddRow(
                new Text(agent.Name),
                new Markup(Formats.StateMarkup(Formats.Name(agent.State))),
                new Text($"{agent.ReadyReplicas}/{agent.Replicas}"),
                new Text(agent.Runtime),
                new Text(agent.Source),
                new Text(Formats.Age(agent.CreatedAt, now)));
        }

        session.OutConsole.Write(table);
    }
}
