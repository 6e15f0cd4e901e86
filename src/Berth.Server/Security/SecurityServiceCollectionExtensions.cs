using Berth.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.Security;

/// <summary>Registers bearer-token authentication, Berth's policies and the admin token bootstrap.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>Bearer</c> scheme, the <see cref="BerthPolicies"/> and a fallback policy that requires an authenticated
    /// user, so a route mapped without a policy is still closed to anonymous callers.
    /// </summary>
    public static IServiceCollection AddBerthSecurity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCache>();
        services.TryAddSingleton<TokenIssuer>();
        services.TryAddSingleton<AdminTokenProofKey>();
        services.TryAddSingleton<AdminTokenBootstrap>();
        services.TryAddSingleton<AgentAccessCache>();
        services.TryAddSingleton<AgentCallback>();
        services.TryAddSingleton<AgentIdentities>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, AgentProxyAuthorizationHandler>());

        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, _ => { });
        string[] users = [BerthRoles.Viewer, BerthRoles.Operator, BerthRoles.Admin];
        services.AddAuthorizationBuilder()
            .AddPolicy(BerthPolicies.Viewer, p => p.RequireAuthenticatedUser().RequireRole(users))
            .AddPolicy(BerthPolicies.Operator, p => p.RequireAuthenticatedUser().RequireRole(BerthRoles.Operator, BerthRoles.Admin))
            .AddPolicy(BerthPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(BerthRoles.Admin))
            .AddPolicy(BerthPolicies.RequestReader, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => users.Any(c.User.IsInRole) || c.User.HasClaim(claim => claim.Type == BerthClaims.Agent)))
            .AddPolicy(BerthPolicies.McpGateway, p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => users.Any(c.User.IsInRole) || c.User.HasClaim(claim => claim.Type == BerthClaims.Agent)))
            .AddPolicy(BerthPolicies.MetricsReader, p => p.RequireAuthenticatedUser().RequireRole([.. users, BerthRoles.Metrics]))
            .AddPolicy(BerthPolicies.AgentProxy, p => p.RequireAuthenticatedUser().AddRequirements(new AgentProxyRequirement()))
            .AddPolicy(BerthPolicies.LlmCaller, p => p.RequireAuthenticatedUser().AddRequirements(new Llm.LlmCallerRequirement()))
            .AddPolicy(BerthPolicies.MessagePublish, p => p.RequireAuthenticatedUser().AddRequirements(new Messaging.MessagingAccessRequirement(Messaging.MessagingAction.Publish)))
            .AddPolicy(BerthPolicies.MessageConsume, p => p.RequireAuthenticatedUser().AddRequirements(new Messaging.MessagingAccessRequirement(Messaging.MessagingAction.Consume)))
            .AddPolicy(BerthPolicies.MailboxSend, p => p.RequireAuthenticatedUser().AddRequirements(new Messaging.MessagingAccessRequirement(Messaging.MessagingAction.Send)))
            .AddPolicy(BerthPolicies.MailboxConsume, p => p.RequireAuthenticatedUser().AddRequirements(new Messaging.MessagingAccessRequirement(Messaging.MessagingAction.ReadMailbox)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(BearerTokenHandler.SchemeName).RequireAuthenticatedUser().RequireRole(users).Build());
        return services;
    }
}
