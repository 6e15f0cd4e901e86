using System.Text.Json.Nodes;

namespace Berth.Core.Workflows;

/// <summary>A cron schedule that starts a run of its workflow.</summary>
public sealed record ScheduleSpec
{
    /// <summary>A cron expression, standard 5-field (<c>*/5 * * * *</c>) or Quartz's with seconds (<c>0 0/5 * * * ?</c>), evaluated in UTC.</summary>
    public string Cron { get; set; } = string.Empty;

    /// <summary>Inputs of the runs it starts.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Inputs { get; set; } = new Dictionary<string, JsonNode?>();
}
