namespace Berth.Core.Llm;

/// <summary>Reading a <see cref="UsageGrouping"/> as the API and the CLI spell it.</summary>
public static class UsageGroupings
{
    /// <summary>The accepted spellings, for error messages.</summary>
    public const string Names = "agent, model, run, workflow, day, endpoint";

    /// <summary>Parses <paramref name="text"/>; null means the default, by agent.</summary>
    public static bool TryParse(string? text, out UsageGrouping grouping)
    {
        grouping = text switch
        {
            null or "agent" => UsageGrouping.Agent,
            "model" => UsageGrouping.Model,
            "run" => UsageGrouping.Run,
            "day" => UsageGrouping.Day,
            "endpoint" => UsageGrouping.Endpoint,
            "workflow" => UsageGrouping.Workflow,
            _ => (UsageGrouping)(-1),
        };
        return Enum.IsDefined(grouping);
    }
}
