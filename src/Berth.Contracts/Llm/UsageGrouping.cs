using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Llm;

/// <summary>How <c>berth usage</c> groups recorded LLM calls.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<UsageGrouping>))]
public enum UsageGrouping
{
    /// <summary>By caller: the agent's name, or <c>token:ID</c> for a user's token.</summary>
    Agent,

    /// <summary>By the provider's model name.</summary>
    Model,

    /// <summary>By workflow run; calls made outside a run have no key.</summary>
    Run,

    /// <summary>By UTC day, <c>2026-12-06</c>.</summary>
    Day,

    /// <summary>By the model endpoint called.</summary>
    Endpoint,

    /// <summary>By the workflow whose run the calls were made for; calls made outside a run have no key.</summary>
    Workflow,
}
