namespace Berth.Cli.Completion;

/// <summary>
/// Shell completion scripts. Each asks <c>berth</c> itself through System.CommandLine's <c>[suggest:POSITION]</c> directive, so
/// completions follow the command tree (verbs, options, values such as <c>-o json</c>) without a copy of it in the script.
/// </summary>
internal static class CompletionScripts
{
    public const string Bash = """
        # berth completion for bash. Load it now:   source <(berth completion bash)
        # or for every shell:  berth completion bash > ~/.local/share/bash-completion/completions/berth
        _berth_complete() {
            local word="${COMP_WORDS[COMP_CWORD]}"
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(berth "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "$word"))
        }
        complete -o default -F _berth_complete berth

        """;

    public const string Zsh = """
        #compdef berth
        # berth completion for zsh. Load it now:   source <(berth completion zsh)
        # or for every shell:  berth completion zsh > "${fpath[1]}/_berth"
        _berth() {
            local line="${(j: :)words[1,CURRENT]}"
            local -a completions
            completions=("${(@f)$(berth "[suggest:${#line}]" "$line" 2>/dev/null)}")
            compadd -a completions
        }
        compdef _berth berth

        """;

    public const string Fish = """
        # berth completion for fish. Load it now:   berth completion fish | source
        # or for every shell:  berth completion fish > ~/.config/fish/completions/berth.fish
        complete -c berth -f -a '(berth "[suggest:"(string length -- (commandline -cp))"]" (commandline -cp) 2>/dev/null)'

        """;
}
