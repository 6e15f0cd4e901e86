using System.CommandLine;
using System.Text.Json.Nodes;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Inputs;
using Spectre.Console;

namespace Berth.Cli.Commands.Runs;

/// <summary>The repeatable <c>--input name=value</c> option of <c>berth run</c>, typed by the workflow's declared inputs.</summary>
internal static class RunInputs
{
    public static Option<string[]> Create() => new("--input", "-i")
    {
        Description = "An input as name=value (repeatable); numbers, booleans, lists and maps are parsed by the input's declared type",
        HelpName = "name=value",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Splits each <c>name=value</c> at its first <c>=</c>; a usage error for a missing name or <c>=</c>, or a name given twice.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> texts)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--input must be written name=value, got '{text}'", ExitCodes.Usage);
            }

            var name = text[..equals].Trim();
            if (!values.TryAdd(name, text[(equals + 1)..]))
            {
                throw new CliException($"--input {name} is given more than once; pass each input once", ExitCodes.Usage);
            }
        }

        return values;
    }

    /// <summary>
    /// The inputs typed by <paramref name="spec"/>, checked as the server will check them (unknown names, wrong types, missing required
    /// inputs); every error is printed and the command ends with <see cref="ExitCodes.Invalid"/> before anything starts.
    /// </summary>
    public static JsonObject? Bind(CliSession session, WorkflowSpec spec, IReadOnlyDictionary<string, string> values)
    {
        var typed = InputBinder.FromText(spec, values);
        var (_, errors) = InputBinder.Bind(spec, typed);
        if (errors.Count > 0)
        {
            session.Console.MarkupLineInterpolated($"[red]error:[/] workflow {spec.Name} cannot start with these inputs:");
            ErrorOutput.WriteSpecErrors(session.Console, null, errors);
            throw new CliException($"nothing was started; fix the --input values (see 'berth workflows get {spec.Name}' for its inputs)", ExitCodes.Invalid);
        }

        return values.Count == 0 ? null : typed;
    }
}
