using System.CommandLine;
using System.Text;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth secrets set NAME [--from-file PATH]</c>: the value comes from stdin, a hidden prompt or a file, never from an
/// argument, because arguments are visible to every user in the process list and stay in shell history.
/// </summary>
internal static class SecretsSetCommand
{
    /// <summary>The largest value the server accepts: 64 KiB.</summary>
    private const int MaxValueBytes = 64 * 1024;

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The secret's name: letters, digits, '_', '.' or '-'" };
        var refused = new Argument<string[]>("value") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var fromFile = new Option<string?>("--from-file") { Description = "Read the value from this file (one trailing newline is dropped)" };
        var command = new Command("set", "Create or replace a secret; the value is read from stdin, a hidden prompt, or --from-file") { name, refused, fromFile };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var secretName = session.ParseResult.GetRequiredValue(name);
            if (session.ParseResult.GetValue(refused) is { Length: > 0 })
            {
                throw new CliException(
                    $"refusing to take a secret's value as an argument: the process list shows it to every user and your shell history keeps it. " +
                    $"Pipe it (printf '%s' \"$VALUE\" | berth secrets set {secretName}), type it at the prompt, or pass --from-file PATH",
                    ExitCodes.Usage);
            }

            var value = session.ParseResult.GetValue(fromFile) is { } path
                ? await ReadFileAsync(session, path, cancellationToken)
                : await ReadInputAsync(session, secretName, cancellationToken);
            if (value.Length == 0)
            {
                throw new CliException($"the value of secret {secretName} is empty; nothing was stored", ExitCodes.Usage);
            }

            if (value.Length > MaxValueBytes)
            {
                throw new CliException($"a secret value may be at most {MaxValueBytes} bytes (64 KiB); this one has {value.Length}", ExitCodes.Usage);
            }

            using var client = session.CreateClient();
            var stored = await client.SetSecretAsync(secretName, value, cancellationToken);
            session.Out.WriteLine(stored.CreatedAt == stored.UpdatedAt ? $"secret/{stored.Name} created" : $"secret/{stored.Name} replaced");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<byte[]> ReadFileAsync(CliSession session, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path, session.Context.CurrentDirectory);
        try
        {
            var info = new FileInfo(full);
            if (info.Exists && info.Length > MaxValueBytes + 2)
            {
                throw new CliException($"{path} has {info.Length} bytes; a secret value may be at most {MaxValueBytes} bytes (64 KiB)", ExitCodes.Usage);
            }

            return WithoutTrailingNewline(await File.ReadAllBytesAsync(full, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {ex.Message}", ExitCodes.Usage);
        }
    }

    private static async Task<byte[]> ReadInputAsync(CliSession session, string secretName, CancellationToken cancellationToken)
    {
        if (!session.Context.IsInteractive)
        {
            return WithoutTrailingNewline(Encoding.UTF8.GetBytes(await session.Context.In.ReadToEndAsync(cancellationToken)));
        }

        if (!session.CanPrompt)
        {
            throw new CliException($"no value for secret {secretName}: pipe it on stdin or pass --from-file PATH (prompts are off with --non-interactive)", ExitCodes.Usage);
        }

        var prompt = new TextPrompt<string>($"Value for secret [bold]{Markup.Escape(secretName)}[/]:").Secret();
        return Encoding.UTF8.GetBytes(await prompt.ShowAsync(session.Console, cancellationToken));
    }

    // echo and editors end text with a newline that is not part of the value; only one is dropped.
    private static byte[] WithoutTrailingNewline(byte[] value) =>
        value is [.., (byte)'\r', (byte)'\n'] ? value[..^2]
        : value is [.., (byte)'\n'] ? value[..^1]
        : value;
}
