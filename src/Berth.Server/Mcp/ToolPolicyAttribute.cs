namespace Berth.Server.Mcp;

/// <summary>
/// The authorization policy (one of <see cref="Security.BerthPolicies"/>) a caller must pass to see and call a tool, prompt or
/// resource; without it, any caller of the endpoint (a viewer at least) may. <see cref="ToolRoles"/> applies it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class ToolPolicyAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}
