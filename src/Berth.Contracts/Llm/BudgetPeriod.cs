using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Llm;

/// <summary>The window an LLM budget limits, in UTC.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<BudgetPeriod>))]
public enum BudgetPeriod
{
    /// <summary>A calendar day, from 00:00 UTC.</summary>
    Day,

    /// <summary>A calendar month, from the first at 00:00 UTC.</summary>
    Month,
}
