using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Init;

/// <summary>
/// <c>berth init agent|plugin NAME [--lang python|node|dotnet|shell] [--base-image IMAGE] [--dir PARENT] [--force]</c>:
/// writes a project from the templates embedded in this binary that deploys as a process the first time, with a Dockerfile
/// as the escape hatch, a README, a test, and an exactly-once record per request key. Needs no server.
/// </summary>
internal static partial class InitCommand
{
    private const string DefaultPort = "8000";

    public static Command Create(CliContext context)
    {
        var kind = new Argument<string>("kind") { Description = "What to create: agent or plugin" };
        kind.AcceptOnlyFromAmong("agent", "plugin");
        var name = new Argument<string>("name") { Description = "The project's name, also its folder and the agent's or plugin's name (a DNS label)" };
        var language = new Option<string>("--lang", "-l") { Description = "The language", HelpName = "language", DefaultValueFactory = _ => "python" };
        language.AcceptOnlyFromAmong([.. TemplateLanguage.Ids]);
        var baseImage = new Option<string?>("--base-image") { Description = "The Dockerfile's FROM (default the language's official image; pass a local image on a machine without a registry)", HelpName = "image" };
        var parent = new Option<string?>("--dir") { Description = "The folder to create the project in (default the current one)", HelpName = "folder" };
        var force = new Option<bool>("--force") { Description = "Write into an existing non-empty folder, overwriting the template's files" };
        var command = new Command("init", "Create a new agent or plugin project from a template (no server needed)") { kind, name, language, baseImage, parent, force };
        command.SetBody(context, (session, _) =>
        {
            var result = session.ParseResult;
            var projectName = result.GetRequiredValue(name);
            if (!SpecNames.IsDnsLabel(projectName))
            {
                throw new CliException($"'{projectName}' is not a valid name: use {SpecNames.DnsLabelHint}", ExitCodes.Usage);
            }

            var lang = TemplateLanguage.Find(result.GetRequiredValue(language));
            var image = result.GetValue(baseImage) ?? lang.DefaultBaseImage;
            if (image.Length > 255 || !ImageReference().IsMatch(image))
            {
                throw new CliException($"--base-image '{image}' is not an image reference like python:3.12-slim or registry.local/team/python:3.12", ExitCodes.Usage);
            }

            var folder = Path.GetFullPath(Path.Combine(session.Context.CurrentDirectory, result.GetValue(parent) ?? ".", projectName));
            ProjectWriter.CheckTarget(folder, result.GetValue(force));
            var what = result.GetRequiredValue(kind);
            var templates = EmbeddedTemplates.For(what, lang.Id);
            var values = Values(projectName, lang, image, templates);
            ProjectWriter.Write(folder, templates.Select(t => (t.Path, TemplateRenderer.Render(t.Text, values, $"{lang.Id}/{what}/{t.Path}"))));

            foreach (var file in templates)
            {
                session.Out.WriteLine(Path.Combine(folder, file.Path));
            }

            session.Console.WriteLine($"created {what} {projectName} ({lang.DisplayName}) in {folder}");
            session.Console.WriteLine(what == "agent"
                ? $"next: cd {projectName} && {lang.TestCommand} && berth apply -f agent.yaml --wait"
                : $"next: cd {projectName} && {lang.TestCommand} && berth plugins check .");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The version written into generated files, so a project says which Berth made it.</summary>
    public static string BerthVersion { get; } =
        typeof(InitCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private static Dictionary<string, string> Values(string name, TemplateLanguage lang, string image, IReadOnlyList<TemplateFile> files) => new(StringComparer.Ordinal)
    {
        ["name"] = name,
        ["port"] = DefaultPort,
        ["baseImage"] = image,
        ["berthVersion"] = BerthVersion,
        ["language"] = lang.DisplayName,
        ["lang"] = lang.Id,
        ["command"] = lang.Command,
        ["args"] = $"[{string.Join(", ", lang.Args.Select(a => $"\"{a}\""))}]",
        ["commandLine"] = string.Join(' ', [lang.Command, .. lang.Args]),
        ["startPeriod"] = lang.StartPeriod,
        ["mainFile"] = lang.MainFile,
        ["runLocal"] = lang.RunLocal,
        ["testCommand"] = lang.TestCommand,
        ["fileTable"] = TemplateFileNotes.Table(files),
    };

    // Docker's characters for [host[:port]/]path[:tag][@digest]; no spaces or control characters can reach the Dockerfile.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/:@-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageReference();
}
