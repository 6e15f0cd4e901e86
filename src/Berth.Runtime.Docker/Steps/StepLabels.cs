namespace Berth.Runtime.Docker.Steps;

/// <summary>
/// Labels on step containers. They carry <c>berth.managed</c> and <c>berth.owner</c> like agent containers but never
/// <c>berth.instance</c>, so the agent driver does not mistake them for agent instances.
/// </summary>
internal static class StepLabels
{
    public const string Managed = "berth.managed";
    public const string Owner = "berth.owner";
    public const string Run = "berth.run";
    public const string Step = "berth.step";
    public const string Attempt = "berth.attempt";
}
