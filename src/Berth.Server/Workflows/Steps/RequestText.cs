using System.Buffers;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;

namespace Berth.Server.Workflows.Steps;

/// <summary>
/// Checks an agent step's evaluated method, path and headers before anything is sent. They come from expressions over
/// earlier steps' answers, so an agent's answer holding CR/LF could otherwise end the request line or a header and smuggle
/// a second request or extra headers (with the step's secret headers) to the agent. A refused value fails the step as
/// <c>user</c>; the message names the field and the character but never the value, which may hold a secret.
/// </summary>
internal static class RequestText
{
    // RFC 9110 token characters: what a method and a header name may be made of.
    private static readonly SearchValues<char> Token = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // What char.IsControl matches: C0, DEL and C1.
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7f, 0x21)).Select(c => (char)c)));

    public static void CheckMethod(string method)
    {
        var at = method.AsSpan().IndexOfAnyExcept(Token);
        if (method.Length == 0 || at >= 0)
        {
            throw Refused("agent.method", at < 0 ? "is empty" : $"holds {Describe(method[at])} at position {at + 1}", "a method is one word like POST");
        }
    }

    public static void CheckPath(string path)
    {
        // Control characters first: they are what splits a request, so they are what the message should name.
        var at = path.AsSpan().IndexOfAny(Controls);
        at = at >= 0 ? at : path.IndexOf(' ', StringComparison.Ordinal);
        if (at >= 0)
        {
            throw Refused("agent.path", $"holds {Describe(path[at])} at position {at + 1}", "percent-encode it (%0D, %0A, %20) if the agent should receive it");
        }
    }

    public static void CheckHeader(string name, string value)
    {
        var at = name.AsSpan().IndexOfAnyExcept(Token);
        if (name.Length == 0 || at >= 0)
        {
            throw Refused("agent.headers name", at < 0 ? "is empty" : $"'{Printable(name)}' holds {Describe(name[at])} at position {at + 1}", "a header name is letters, digits and -");
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]) && value[i] != '\t')
            {
                throw Refused($"agent.headers.{name}", $"holds {Describe(value[i])} at position {i + 1}", "a header value is one line of text");
            }
        }
    }

    private static StepRunException Refused(string field, string problem, string hint) =>
        new(ErrorClass.User, $"{field} {problem} after evaluating its expressions; control characters would split the request, so nothing was sent ({hint})");

    private static string Describe(char c) => c switch
    {
        '\r' => "a control character (CR, U+000D)",
        '\n' => "a control character (LF, U+000A)",
        ' ' => "a space",
        _ when char.IsControl(c) => $"a control character (U+{(int)c:X4})",
        _ => $"'{c}' (U+{(int)c:X4})",
    };

    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
}
