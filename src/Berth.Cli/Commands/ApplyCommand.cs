using System.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Specs;
using Spectre.Console;
using Berth.Client.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth apply -f FILE [--wait] [--timeout 2m]</c>: creates or updates agents to match spec files.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var files = FileOption.Create();
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until every applied agent is running, showing progress" };
        var timeout = GlobalOptions.CreateDuration("--timeout", TimeSpan.FromMinutes(2), "How long --wait waits");
        var command = new Command("apply", "Create or update agents to match spec files") { files, wait, timeout };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var set = SpecFiles.Read(session.ParseResult.GetRequiredValue(files), session.Context);
            if (!set.IsValid)
            {
                SpecFiles.WriteErrors(session.Console, set);
                session.Console.WriteLine("nothing was applied");
                return ExitCodes.Invalid;
            }

            if (set.Workflows.Count > 0)
            {
                // The server's workflow API is not part of this version yet; say so instead of applying the agents alone.
                throw new CliException(
                    $"workflows/{set.Workflows[0].Name}: this version of berth checks workflows ('berth validate -f FILE') but cannot apply or run them yet; nothing was applied",
                    ExitCodes.Invalid);
            }

            using var client = session.CreateClient();
            var applied = new List<ApplyResponse>();
            foreach (var spec in set.Agents)
            {
                var response = await client.ApplyAgentAsync(spec, cancellationToken);
                applied.Add(response);
                session.Out.WriteLine($"agent/{spec.Name} {Formats.Name(response.Outcome)}");
            }

            if (!session.ParseResult.GetValue(wait))
            {
                return ExitCodes.Ok;
            }

            return await new ApplyWaiter(session, client).WaitAsync(
                applied.Select(a => a.Agent.Name).ToList(), session.ParseResult.GetValue(timeout), cancellationToken);
        });
        return command;
    }
}
