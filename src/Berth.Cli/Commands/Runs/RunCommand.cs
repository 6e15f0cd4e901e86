using System.CommandLine;
using System.CommandLine.Parsing;
using Berth.Cli.Output;
using Berth.Cli.Specs;
using Berth.Client;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Runs;

/// <summary>
/// <c>berth run WORKFLOW [--input k=v]... [--watch] [--timeout 10m]</c> and <c>berth run -f FILE ...</c>: starts a run of an applied
/// workflow (or applies the file's one workflow first), printing its id, or following it to the end with <c>--watch</c>.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var workflow = new Argument<string?>("workflow") { Description = "The workflow to run (omit it with -f)", Arity = ArgumentArity.ZeroOrOne };
        var files = new Option<string[]>("--file", "-f")
        {
            Description = "Spec file holding exactly one workflow (and any agents it needs): applied, then run",
            HelpName = "file",
            Arity = ArgumentArity.OneOrMore,
        };
        var inputs = RunInputs.Create();
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the run until it ends, showing each step; the exit code is the run's outcome" };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "How long --watch follows the run before giving up (the run goes on); default: until it ends",
            HelpName = "duration",
            CustomParser = ParseDuration,
        };
        var command = new Command("run", "Start a workflow run") { workflow, files, inputs, watch, timeout };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetValue(workflow);
            var paths = session.ParseResult.GetValue(files) ?? [];
            if ((name is null) == (paths.Length == 0))
            {
                throw new CliException("pass a workflow name or -f FILE, not both", ExitCodes.Usage);
            }

            var values = RunInputs.Parse(session.ParseResult.GetValue(inputs) ?? []);
            var set = paths.Length > 0 ? ReadFile(session, paths) : null;
            using var client = session.CreateClient();
            var spec = set?.Workflows[0];
            if (spec is null && values.Count > 0)
            {
                spec = (await client.GetWorkflowAsync(name!, cancellationToken)).Spec;
            }

            // Inputs are checked before anything is applied, so a typo changes nothing on the server.
            var typed = spec is null ? null : RunInputs.Bind(session, spec, values);
            if (set is not null)
            {
                await ApplyAsync(session, client, set, cancellationToken);
            }

            var run = await client.StartRunAsync(spec?.Name ?? name!, typed, cancellationToken);
            session.Out.WriteLine(run.Id);
            await session.Out.FlushAsync(cancellationToken);
            if (!session.ParseResult.GetValue(watch))
            {
                session.Console.WriteLine($"run/{run.Id} of workflow {run.Workflow} {Formats.Name(run.State)}; follow it with 'berth runs get {run.Id}' or 'berth runs logs {run.Id} -f'");
                return ExitCodes.Ok;
            }

            return await new RunWatcher(session, client).WatchAsync(run.Id, session.ParseResult.GetValue(timeout), cancellationToken);
        });
        return command;
    }

    /// <summary>Reads and checks the files: valid, and exactly one workflow.</summary>
    private static SpecFileSet ReadFile(CliSession session, string[] paths)
    {
        var set = SpecFiles.Read(paths, session.Context);
        if (!set.IsValid)
        {
            SpecFiles.WriteErrors(session.Console, set);
            throw new CliException("nothing was applied or started", ExitCodes.Invalid);
        }

        if (set.Workflows.Count != 1)
        {
            var found = set.Workflows.Count == 0 ? "none" : string.Join(", ", set.Workflows.Select(w => w.Name));
            throw new CliException(
                $"berth run -f needs exactly one workflow in its files, found {found}; apply several with 'berth apply -f' and run one by name", ExitCodes.Usage);
        }

        return set;
    }

    /// <summary>Applies the file's agents, then its workflow, noting each outcome on stderr (stdout carries only the run id).</summary>
    private static async Task ApplyAsync(CliSession session, BerthClient client, SpecFileSet set, CancellationToken cancellationToken)
    {
        foreach (var agent in set.Agents)
        {
            var applied = await client.ApplyAgentAsync(agent, cancellationToken);
            session.Console.WriteLine($"agent/{agent.Name} {Formats.Name(applied.Outcome)}");
        }

        var spec = set.Workflows[0];
        var response = await client.ApplyWorkflowAsync(spec, cancellationToken);
        session.Console.WriteLine($"workflow/{spec.Name} {Formats.Name(response.Outcome)}");
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Duration.TryParse(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; write it like 30s, 10m or 1h");
        return null;
    }
}
