using Microsoft.AspNetCore.Builder;

namespace Berth.Server.Audit;

/// <summary>Marks endpoints with <see cref="AuditMetadata"/> where they are mapped: <c>group.Audited()</c>.</summary>
internal static class AuditEndpointConventions
{
    /// <summary>Mutating requests to these endpoints write an audit record.</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(AuditMetadata.Mutations);

    /// <summary>Mutating requests to these endpoints are not audited (denials still are), for <paramref name="reason"/>.</summary>
    public static TBuilder NotAudited<TBuilder>(this TBuilder builder, string reason)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(AuditMetadata.Exempt(reason));
}
