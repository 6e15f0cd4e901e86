using Berth.Cli.Output;
using Berth.Core.Requests;

namespace Berth.Cli.Commands;

/// <summary>Request states as people type them (<c>dead-lettered</c>), checked before anything is sent.</summary>
internal static class RequestsStates
{
    public static string All => string.Join(", ", Enum.GetValues<RequestState>().Select(s => Formats.Name(s)));

    /// <summary>The state named by <paramref name="text"/>; a usage error listing the states when it names none.</summary>
    public static RequestState Parse(string text, string option, IReadOnlyCollection<RequestState>? allowed = null)
    {
        var states = allowed ?? Enum.GetValues<RequestState>();
        foreach (var state in states)
        {
            if (string.Equals(Formats.Name(state), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return state;
            }
        }

        var names = string.Join(", ", states.Select(s => Formats.Name(s)));
        throw new CliException($"{option} must be one of {names}; got '{text}'", ExitCodes.Usage);
    }

    /// <summary>The state coloured for a table cell (markup).</summary>
    public static string Markup(RequestState state) => state switch
    {
        RequestState.Completed => "[green]completed[/]",
        RequestState.DeadLettered => "[red]dead-lettered[/]",
        RequestState.Retrying => "[yellow]retrying[/]",
        _ => Formats.Name(state),
    };
}
