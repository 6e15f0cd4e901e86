using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Client;
using Berth.Client.Exec;
using Berth.Core.Runtime;
using Spectre.Console;

namespace Berth.Cli.Commands.Exec;

/// <summary>
/// <c>berth exec NAME [--instance ID] [-t | -T] -- CMD ARGS…</c>: runs a command in a running instance of a container agent.
/// With a TTY (the default when standard input and output are a terminal) it is interactive: raw terminal, resizes followed.
/// Without one, standard input is piped to the command and closed at its end. Exits with the command's exit code.
/// </summary>
internal static class ExecCommand
{
    private const int InputChunk = 32 * 1024;

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The agent's name" };
        var command = new Argument<string[]>("command") { Description = "The program and its arguments, after --", Arity = ArgumentArity.OneOrMore };
        var instance = new Option<string?>("--instance") { Description = "The instance to run in (default: the first running one)", HelpName = "id" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Give the command a terminal even when standard input is not one" };
        var noTty = new Option<bool>("--no-tty", "-T") { Description = "Never give the command a terminal; pipe standard input" };
        var verb = new Command("exec", "Run a command in a running instance of a container agent") { name, command, instance, tty, noTty };
        verb.SetBody(context, async (session, cancellationToken) =>
        {
            var forceTty = session.ParseResult.GetValue(tty);
            if (forceTty && session.ParseResult.GetValue(noTty))
            {
                throw new CliException("pass --tty or --no-tty, not both", ExitCodes.Usage);
            }

            var useTty = forceTty || (context.IsTerminal && !session.ParseResult.GetValue(noTty));
            var interactive = useTty && context.IsTerminal;
            var options = new ExecOptions
            {
                Command = session.ParseResult.GetRequiredValue(command),
                Instance = session.ParseResult.GetValue(instance),
                Tty = useTty,
                Rows = interactive ? Console.WindowHeight : null,
                Columns = interactive ? Console.WindowWidth : null,
            };

            using var client = session.CreateClient();
            var connection = await client.OpenExecAsync(session.ParseResult.GetRequiredValue(name), options, cancellationToken);
            await using (connection)
            {
                using var raw = interactive ? RawTerminal.Enter() : null;
                using var resize = interactive
                    ? PosixSignalRegistration.Create(PosixSignal.SIGWINCH, signal => { _ = ResizeQuietlyAsync(connection); })
                    : null;
                _ = PipeInputAsync(context, connection, cancellationToken);
                return await RelayOutputAsync(session, connection, cancellationToken);
            }
        });
        return verb;
    }

    /// <summary>Writes the command's output where it belongs until its exit code (returned) or an error.</summary>
    private static async Task<int> RelayOutputAsync(CliSession session, ExecConnection connection, CancellationToken cancellationToken)
    {
        var context = session.Context;
        var stdout = new Output(context.StandardOutput, context.Out);
        var stderr = new Output(context.StandardError, context.Console.Profile.Out.Writer);
        try
        {
            while (await connection.ReadAsync(cancellationToken) is { } frame)
            {
                switch (frame.Channel)
                {
                    case ExecChannel.Stdout:
                        await stdout.WriteAsync(frame.Data, cancellationToken);
                        break;
                    case ExecChannel.Stderr:
                        await stderr.WriteAsync(frame.Data, cancellationToken);
                        break;
                    case ExecChannel.Exit:
                        return frame.ExitCode ?? ExitCodes.Failure;
                    case ExecChannel.Error:
                        throw new CliException(frame.Error?.Detail ?? "the server ended the session", ExitCodes.Failure);
                    default:
                        break;
                }
            }
        }
        finally
        {
            await stdout.FlushAsync(cancellationToken);
            await stderr.FlushAsync(cancellationToken);
        }

        throw new CliException("the connection closed before the command's exit code arrived; the command may still run", ExitCodes.Failure);
    }

    /// <summary>Sends standard input to the command and closes it at end of file. Left running when the command ends first.</summary>
    private static async Task PipeInputAsync(CliContext context, ExecConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            if (context.StandardInput is { } stream)
            {
                var buffer = new byte[InputChunk];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await connection.WriteInputAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            else
            {
                var chars = new char[InputChunk / 4];
                int read;
                while ((read = await context.In.ReadAsync(chars, cancellationToken)) > 0)
                {
                    await connection.WriteInputAsync(Encoding.UTF8.GetBytes(chars, 0, read), cancellationToken);
                }
            }

            await connection.CloseInputAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
        {
            // the session ended while input was still coming: nothing is waiting for the rest
        }
    }

    private static async Task ResizeQuietlyAsync(ExecConnection connection)
    {
        try
        {
            await connection.ResizeAsync(Console.WindowHeight, Console.WindowWidth, CancellationToken.None);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // a resize during the close: the session is over
        }
    }

    /// <summary>A byte stream when there is one, else a text writer fed through a streaming UTF-8 decoder.</summary>
    private sealed class Output(Stream? stream, TextWriter writer)
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();

        public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (stream is not null)
            {
                await stream.WriteAsync(data, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                return;
            }

            var chars = new char[_decoder.GetCharCount(data.Span, flush: false)];
            _decoder.GetChars(data.Span, chars, flush: false);
            await writer.WriteAsync(chars, cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }

        public Task FlushAsync(CancellationToken cancellationToken) =>
            stream is not null ? stream.FlushAsync(cancellationToken) : writer.FlushAsync(cancellationToken);
    }
}
