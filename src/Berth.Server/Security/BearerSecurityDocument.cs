using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Berth.Server.Security;

/// <summary>
/// Says in the OpenAPI document which operations need a bearer token: the document declares the <c>bearer</c> scheme, and
/// every operation whose endpoint requires authorization names it. Routes anonymous by design (<c>/healthz</c>) name none,
/// so a client generated from the document knows which calls need the header.
/// </summary>
internal static class BearerSecurityDocument
{
    public const string SchemeId = "bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A Berth token (berth_…): 'berth tokens create', or admin.token in the server's data directory.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
            {
                return Task.CompletedTask;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
            return Task.CompletedTask;
        });
    }
}
