using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Security;

/// <summary>The caller may reach the agent named in the proxy route; <see cref="AgentProxyAuthorizationHandler"/> decides.</summary>
internal sealed class AgentProxyRequirement : IAuthorizationRequirement;
