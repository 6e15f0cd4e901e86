using System.Diagnostics;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Completion;

/// <summary><c>berth completion</c>: the scripts it prints, and bash completing through one with a real <c>berth</c>.</summary>
public sealed class CompletionCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("bash", "complete -o default -F _berth_complete berth")]
    [InlineData("zsh", "compdef _berth berth")]
    [InlineData("fish", "complete -c berth")]
    public async Task Completion_Shell_PrintsAScriptThatAsksBerthForSuggestions(string shell, string registration)
    {
        var result = await new CliHarness().RunAsync("completion", shell);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.ShouldContain(registration);
        result.Out.ShouldContain("[suggest:");
        result.Err.ShouldBeEmpty();
    }

    [Fact]
    public async Task Completion_UnknownShell_IsAUsageErrorNamingTheShells()
    {
        var result = await new CliHarness().RunAsync("completion", "powershell");

        result.ExitCode.ShouldBe(ExitCodes.Usage);
        result.All.ShouldContain("bash");
    }

    [Theory]
    [InlineData("berth ge", "get")]
    [InlineData("berth get agents -o j", "json")]
    [InlineData("berth server --runtime d", "docker")]
    [InlineData("berth comp", "completion")]
    [InlineData("berth topi", "topics")]
    [InlineData("berth topics cr", "create")]
    [InlineData("berth topics create orders --ordering k", "key")]
    [InlineData("berth messages re", "requeue")]
    [InlineData("berth messages ls --state d", "dead")]
    [InlineData("berth mailb", "mailbox")]
    public async Task BashScript_PartialCommandLine_CompletesFromTheCommandTree(string line, string expected)
    {
        var completions = await CompleteInBashAsync(line);

        completions.ShouldBe([expected], $"bash completed '{line}' to [{string.Join(", ", completions)}]");
    }

    [Fact]
    public async Task BashScript_MessagingPrefix_OffersEachVerbItStarts()
    {
        var completions = await CompleteInBashAsync("berth subs");

        completions.Order(StringComparer.Ordinal).ShouldBe(["subscribe", "subscriptions"]);
    }

    [Fact]
    public async Task BashScript_AfterTheVerb_OffersItsNouns()
    {
        var completions = await CompleteInBashAsync("berth get ");

        completions.ShouldContain("agents");
        completions.ShouldNotContain("get");
    }

    /// <summary>
    /// Sources <c>berth completion bash</c> in a real bash, sets the line as bash would for a TAB at its end, and returns COMPREPLY.
    /// <c>berth</c> on PATH is this build's berth.dll, run by dotnet.
    /// </summary>
    private async Task<List<string>> CompleteInBashAsync(string line)
    {
        var berth = Path.Combine(_directory.Path, "berth");
        var dotnet = Repository.Dotnet;
        await File.WriteAllTextAsync(berth, $"#!/bin/sh\nexec '{dotnet}' '{Path.Combine(AppContext.BaseDirectory, "berth.dll")}' \"$@\"\n");
        File.SetUnixFileMode(berth, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var script = """
            source <(berth completion bash) || exit 3
            COMP_LINE="$LINE"
            COMP_POINT=${#LINE}
            read -r -a COMP_WORDS <<< "$LINE"
            if [[ "$LINE" == *" " ]]; then COMP_WORDS+=(""); fi
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _berth_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--noprofile");
        start.ArgumentList.Add("--norc");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = $"{_directory.Path}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["LINE"] = line;
        using var bash = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync(TestTimeouts.Token(TestTimeouts.Slow));
        bash.ExitCode.ShouldBe(0, await error);
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
