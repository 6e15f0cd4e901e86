using System.CommandLine;

namespace Berth.Cli.Specs;

/// <summary>The <c>-f/--file</c> option of apply and validate.</summary>
internal static class FileOption
{
    public static Option<string[]> Create() => new("--file", "-f")
    {
        Description = "Spec file, directory of .yaml files, or - for stdin (repeatable)",
        HelpName = "file",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };
}
