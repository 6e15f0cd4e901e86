using Berth.Server.Audit;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Llm;

/// <summary>Maps the LLM gateway, <c>/llm/{endpoint}/{provider path}</c>.</summary>
internal static class LlmGatewayEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateway(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/llm").WithTags("LLM gateway").ExcludeFromDescription().RequireAuthorization(BerthPolicies.LlmCaller)
            .WithMetadata(new ApiKeyHeaderAccepted())
            .NotAudited("an LLM call is recorded with its tokens and cost in the usage ledger (denied calls are still audited)")
            .Map("/{endpoint}/{**path}", (string endpoint, string? path, HttpContext context, LlmGateway gateway) =>
                gateway.HandleAsync(context, endpoint, path ?? string.Empty));
        return app;
    }
}
