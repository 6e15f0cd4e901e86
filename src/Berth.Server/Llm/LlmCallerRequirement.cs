using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Llm;

/// <summary>The caller may call the model endpoint named in the gateway route; <see cref="LlmCallerAuthorizationHandler"/> decides.</summary>
internal sealed class LlmCallerRequirement : IAuthorizationRequirement;
