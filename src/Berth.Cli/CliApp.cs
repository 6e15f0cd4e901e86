using System.CommandLine;
using Berth.Cli.Commands;
using Berth.Cli.Completion;
using Berth.Cli.Commands.Init;
using Berth.Cli.Commands.Llm;
using Berth.Cli.Commands.Mcp;
using Berth.Cli.Commands.Messaging;
using Berth.Cli.Commands.Plugins;
using Berth.Cli.Commands.Exec;
using Berth.Cli.Commands.Runs;
using Berth.Cli.Commands.Stats;
using Berth.Cli.Commands.Capabilities;
using Berth.Cli.Commands.Workflows;
using Berth.Cli.Server;
using Spectre.Console;

namespace Berth.Cli;

/// <summary>The <c>berth</c> command line: builds the verbs and runs one command line against a <see cref="CliContext"/>.</summary>
public static class CliApp
{
    /// <summary>Runs <paramref name="args"/> and returns the exit code (see docs/cli.md); never throws for user errors.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = CreateRootCommand(context);
        // No response files: '@FILE' is how -d names a body file (berth call, publish, send, request), never a file of arguments.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                context.Console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }

            context.Console.WriteLine($"run '{Describe(parseResult)} --help' for usage");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = new ConsoleErrorWriter(context.Console),
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }

    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("Berth runs AI agents as containers or local processes behind one control plane.")
        {
            GlobalOptions.Server,
            GlobalOptions.NonInteractive,
            GlobalOptions.Token,
            GlobalOptions.CaCertificate,
            ServerCommand.Create(context),
            ApplyCommand.Create(context),
            ValidateCommand.Create(context),
            Commands.Build.BuildCommand.Create(context),
            GetCommand.Create(context),
            DescribeCommand.Create(context),
            LogsCommand.Create(context),
            StatsCommand.Create(context),
            ExecCommand.Create(context),
            StartCommand.Create(context),
            StopCommand.Create(context),
            RestartCommand.Create(context),
            RemoveCommand.Create(context),
            CallCommand.Create(context),
            Commands.Health.HealthCommand.Create(context),
            Commands.Export.ExportCommand.Create(context),
            Commands.Backup.BackupCommand.Create(context),
            Commands.Backup.StoreToolCommands.Restore(context),
            Commands.Backup.StoreToolCommands.Migrate(context),
            Commands.Bench.BenchCommand.Create(context),
            SecretsCommand.Create(context),
            LoginCommand.Create(context),
            TokensCommand.Create(context),
            AuditCommand.Create(context),
            RequestsCommand.Create(context),
            WorkflowsCommand.Create(context),
            CapabilitiesCommand.Create(context),
            RunCommand.Create(context),
            RunsCommand.Create(context),
            PluginsCommand.Create(context),
            TopicsCommand.Create(context),
            SubscriptionsCommand.Create(context),
            PublishCommand.Create(context),
            SubscribeCommand.Create(context),
            MessagesCommand.Create(context),
            MailboxCommand.Create(context),
            SendCommand.Create(context),
            RequestCommand.Create(context),
            ModelEndpointsCommand.Create(context),
            UsageCommand.Create(context),
            BudgetsCommand.Create(context),
            McpCommand.Create(context),
            InitCommand.Create(context),
            CompletionCommand.Create(context),
        };
        return root;
    }

    private static string Describe(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        names[0] = "berth";
        return string.Join(' ', names);
    }

    /// <summary>Sends System.CommandLine's own error text to the human console.</summary>
    private sealed class ConsoleErrorWriter(IAnsiConsole console) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void Write(char value) => console.Write(value.ToString());

        public override void Write(string? value) => console.Write(value ?? "");

        public override void WriteLine(string? value) => console.WriteLine(value ?? "");
    }
}
