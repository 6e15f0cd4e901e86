namespace Berth.Bench.Llm;

/// <summary>The usage ledger's total after the run against what the generator sent through the gateway.</summary>
internal sealed record UsageCheck(UsageTotal Expected, UsageTotal Recorded)
{
    public bool Matches => Expected == Recorded;

    /// <summary>Why the ledger disagrees, or null when it matches.</summary>
    public string? Problem => Matches
        ? null
        : Recorded.Calls != Expected.Calls
            ? $"the ledger counts {Recorded.Calls} calls, {Expected.Calls} were sent"
            : $"{Recorded.Calls} calls recorded, but with {Recorded.PromptTokens}/{Recorded.CompletionTokens} prompt/completion tokens " +
              $"instead of {Expected.PromptTokens}/{Expected.CompletionTokens} (calls not settled, or settled without their usage)";
}
