using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Llm;

/// <summary>The window an LLM budget limits: a UTC calendar day or month, or one workflow run from start to end.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<BudgetPeriod>))]
public enum BudgetPeriod
{
    /// <summary>A calendar day, from 00:00 UTC.</summary>
    Day,

    /// <summary>A calendar month, from the first at 00:00 UTC.</summary>
    Month,

    /// <summary>Each run of a workflow, whole: it never resets, every run starts with all of it. Only for <see cref="BudgetScope.Workflow"/>.</summary>
    Run,
}
