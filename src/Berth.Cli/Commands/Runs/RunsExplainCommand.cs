using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client.Contracts;

namespace Berth.Cli.Commands.Runs;

/// <summary><c>berth runs explain ID STEP [-o table|json|yaml]</c>: why a step hit or missed the cache, and what changed.</summary>
internal static class RunsExplainCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The run's id" };
        var step = new Argument<string>("step") { Description = "The step's id" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("explain", "Explain why a step's outputs came from the cache or not") { id, step, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var explanation = await client.ExplainStepAsync(
                session.ParseResult.GetRequiredValue(id), session.ParseResult.GetRequiredValue(step), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, explanation, format);
                return ExitCodes.Ok;
            }

            Write(session.Out, explanation, session.Context.Time.GetUtcNow());
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Write(TextWriter output, CacheExplanation explanation, DateTimeOffset now)
    {
        output.WriteLine(explanation.Message);
        output.WriteLine($"cache: {(explanation.Hit ? "hit" : "miss")}");
        if (explanation.Key is { } key)
        {
            output.WriteLine($"key: {key}");
        }

        if (explanation.ClosestCreatedAt is { } closest)
        {
            output.WriteLine($"closest entry: {Formats.Time(closest, now)}");
        }

        if (explanation.Differences.Count == 0)
        {
            return;
        }

        output.WriteLine("differences:");
        foreach (var difference in explanation.Differences)
        {
            output.WriteLine($"  {difference}");
        }
    }
}
