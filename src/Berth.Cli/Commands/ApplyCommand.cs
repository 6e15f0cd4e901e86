using System.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Specs;
using Spectre.Console;
using Berth.Client.Contracts;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth apply -f FILE [--wait] [--timeout 2m]</c>: creates or updates model endpoints, topics, agents, subscriptions and
/// workflows, in that order, to match spec files.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var files = FileOption.Create();
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until every applied agent is running, showing progress (workflows need no wait)" };
        var timeout = GlobalOptions.CreateDuration("--timeout", TimeSpan.FromMinutes(2), "How long --wait waits");
        var command = new Command("apply", "Create or update model endpoints, topics, agents, subscriptions and workflows to match spec files") { files, wait, timeout };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var set = SpecFiles.Read(session.ParseResult.GetRequiredValue(files), session.Context);
            if (!set.IsValid)
            {
                SpecFiles.WriteErrors(session.Console, set);
                session.Console.WriteLine("nothing was applied");
                return ExitCodes.Invalid;
            }

            if (set.Plugins is [var (source, plugin), ..])
            {
                var folder = Path.GetDirectoryName(source) is { Length: > 0 } directory ? directory : ".";
                throw new CliException(
                    $"{source}: '{plugin.Name}' is a kind: Plugin manifest; a plugin is installed with its folder, which holds its code: berth plugins install {folder}",
                    ExitCodes.Invalid);
            }

            // One file may hold every kind, so each goes after what it names: model endpoints first (an agent's access.models
            // names them), then topics (a subscription receives from one, a topic's deadLetter and a workflow's on.message name
            // one; dead-letter targets lead among topics), then agents (a subscription's push or pull agent), then subscriptions,
            // then workflows (agent steps name agents).
            using var client = session.CreateClient();
            foreach (var spec in set.ModelEndpoints)
            {
                var response = await client.ApplyModelEndpointAsync(spec, cancellationToken);
                session.Out.WriteLine($"modelendpoint/{spec.Name} {Formats.Name(response.Outcome)}");
            }

            foreach (var spec in set.Topics)
            {
                var response = await client.ApplyTopicAsync(spec, cancellationToken);
                session.Out.WriteLine($"topic/{spec.Name} {Formats.Name(response.Outcome)}");
            }

            var applied = new List<ApplyResponse>();
            foreach (var spec in set.Agents)
            {
                var response = await client.ApplyAgentAsync(spec, cancellationToken);
                applied.Add(response);
                session.Out.WriteLine($"agent/{spec.Name} {Formats.Name(response.Outcome)}");
            }

            foreach (var spec in set.Subscriptions)
            {
                var response = await client.ApplySubscriptionAsync(spec, cancellationToken);
                session.Out.WriteLine($"subscription/{spec.Name} {Formats.Name(response.Outcome)}");
            }

            foreach (var spec in set.Workflows)
            {
                var response = await client.ApplyWorkflowAsync(spec, cancellationToken);
                session.Out.WriteLine($"workflow/{spec.Name} {Formats.Name(response.Outcome)}");
            }

            if (!session.ParseResult.GetValue(wait) || applied.Count == 0)
            {
                return ExitCodes.Ok;
            }

            return await new ApplyWaiter(session, client).WaitAsync(
                applied.Select(a => a.Agent.Name).ToList(), session.ParseResult.GetValue(timeout), cancellationToken);
        });
        return command;
    }
}
