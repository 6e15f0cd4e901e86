using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Steps;

/// <summary>
/// Labels of step containers besides <see cref="DockerLabels.Managed"/> and <see cref="DockerLabels.Owner"/>, which they carry like
/// agent containers. They never carry <see cref="DockerLabels.Instance"/>, so the agent driver does not mistake them for agent instances.
/// </summary>
internal static class StepLabels
{
    public const string Run = "berth.run";
    public const string Step = "berth.step";
    public const string Attempt = "berth.attempt";
}
