namespace Berth.Cli.Commands.Init;

/// <summary>One file of a project template: its path in the generated project and its text before rendering.</summary>
internal sealed record TemplateFile(string Path, string Text);
