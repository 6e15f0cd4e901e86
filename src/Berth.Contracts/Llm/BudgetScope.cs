using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Llm;

/// <summary>Whose LLM calls a budget limits.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<BudgetScope>))]
public enum BudgetScope
{
    /// <summary>One agent's calls, wherever it is called from.</summary>
    Agent,

    /// <summary>The calls the agents make for one workflow's steps: each run (<see cref="BudgetPeriod.Run"/>) or all its runs in a window.</summary>
    Workflow,
}
