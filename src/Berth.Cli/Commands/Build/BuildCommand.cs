using System.CommandLine;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Build;

/// <summary>
/// <c>berth build DIR [-t TAG] [-f DOCKERFILE]</c>: builds DIR's image. With a Dagger pipeline (<c>DIR/pipelines/</c>) and
/// <c>dagger</c> on PATH it runs that (<see cref="DaggerPipeline"/>); otherwise it uploads DIR to the server, which builds it
/// through the Docker Engine API (the CLI has no Docker client). Either way it first says which path it took.
/// </summary>
internal static class BuildCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("dir") { Description = "The folder to build (its Dockerfile, or its Dagger pipeline in pipelines/)" };
        var tag = new Option<string?>("--tag", "-t") { Description = "The image's tag, like local/my-agent:1 (default: local/DIRNAME:latest)" };
        var dockerfile = new Option<string?>("--file", "-f") { Description = "The Dockerfile, a path inside DIR (default: Dockerfile; Engine API builds only)" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("build", "Build a folder's image: with its Dagger pipeline when dagger is on PATH, else on the server through the Engine API")
        {
            directory, tag, dockerfile, output,
        };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var folder = Path.GetFullPath(session.ParseResult.GetRequiredValue(directory), session.Context.CurrentDirectory);
            if (!Directory.Exists(folder))
            {
                throw new CliException($"'{folder}' is not a folder: pass the folder to build", ExitCodes.Usage);
            }

            var tagValue = session.ParseResult.GetValue(tag);
            var hasPipeline = Directory.Exists(Path.Combine(folder, DaggerPipeline.Folder));
            var dagger = hasPipeline ? DaggerPipeline.Find(session.Context.GetEnvironmentVariable("PATH")) : null;
            if (dagger is not null)
            {
                session.Console.WriteLine($"building with Dagger: {DaggerPipeline.Folder}/ ({dagger} {string.Join(' ', DaggerPipeline.Arguments(tagValue))})");
                var exit = await DaggerPipeline.RunAsync(dagger, folder, tagValue, session.Console, cancellationToken);
                return exit == 0 ? ExitCodes.Ok : throw new CliException($"dagger exited with {exit}; its output is above", ExitCodes.Failure);
            }

            session.Console.WriteLine(hasPipeline
                ? "building with the Engine API (dagger not found on PATH)"
                : $"building with the Engine API (no Dagger pipeline: {Path.GetFileName(folder)} has no {DaggerPipeline.Folder}/)");
            var image = tagValue ?? DefaultTag(folder);
            using var client = session.CreateClient();
            await using var archive = await ContextPacker.PackAsync(folder, cancellationToken);
            var built = await client.BuildImageAsync(archive, image, session.ParseResult.GetValue(dockerfile), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, built, format);
                return ExitCodes.Ok;
            }

            foreach (var line in built.Log)
            {
                session.Console.Profile.Out.Writer.WriteLine(line);
            }

            session.OutConsole.MarkupLineInterpolated($"built {built.Tag} ({built.Id})");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>local/NAME:latest</c> with the folder's name lowercased and anything but letters, digits, '.', '_' and '-' dropped.</summary>
    internal static string DefaultTag(string folder)
    {
        var name = new string(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)).ToLowerInvariant()
            .Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-').ToArray()).Trim('.', '_', '-');
        return $"local/{(name.Length == 0 ? "image" : name)}:latest";
    }
}
