using Berth.Client.Contracts;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Semver;

namespace Berth.Server.Capabilities;

/// <summary>The <c>/api/v1/capabilities</c> routes (viewer): every capability with its provider counts, and one with each provider's health.</summary>
internal static class CapabilitiesApi
{
    public static RouteGroupBuilder MapCapabilitiesApi(this RouteGroupBuilder api)
    {
        var capabilities = api.MapGroup("/capabilities").WithTags("Capabilities").RequireAuthorization(BerthPolicies.Viewer);
        capabilities.MapGet("/", ListAsync).WithName("ListCapabilities");
        capabilities.MapGet("/{name}", GetAsync).WithName("GetCapability");
        return api;
    }

    private static async Task<Ok<List<CapabilityView>>> ListAsync(CapabilityRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(Summaries(registry, await registry.ListAsync(ct)));

    private static async Task<Results<Ok<CapabilityDetail>, ProblemHttpResult>> GetAsync(string name, CapabilityRegistry registry, CancellationToken ct) =>
        await registry.FindAsync(name, ct) is { Count: > 0 } providers
            ? TypedResults.Ok(new CapabilityDetail(name, providers.Select(p => View(registry, p)).ToList()))
            : Problems.Problems.CapabilityNotFound(name);

    /// <summary>One summary per capability, by name.</summary>
    public static List<CapabilityView> Summaries(CapabilityRegistry registry, IEnumerable<CapabilityProvider> providers) =>
        providers.GroupBy(p => p.Capability.Name, StringComparer.Ordinal)
            .Select(g => new CapabilityView(
                g.Key,
                Versions(g),
                g.Count(),
                g.Count(p => registry.HealthOf(p).CanServe)))
            .ToList();

    /// <summary>A provider as answers show it.</summary>
    public static CapabilityProviderView View(CapabilityRegistry registry, CapabilityProvider provider)
    {
        var health = registry.HealthOf(provider);
        return new CapabilityProviderView
        {
            Kind = provider.Kind,
            Provider = provider.Id,
            Name = provider.Name,
            Version = provider.Capability.Version,
            Description = provider.Capability.Description ?? provider.Plugin?.Spec.Description,
            Inputs = provider.Capability.Inputs,
            Outputs = provider.Capability.Outputs,
            Health = health.Health,
            State = health.State,
            HealthyInstances = health.HealthyInstances,
            Outstanding = health.Outstanding,
            Breaker = health.Breaker,
        };
    }

    private static List<string> Versions(IEnumerable<CapabilityProvider> providers) =>
        providers.Select(p => p.Capability.Version).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(v => (Text: v, Parsed: SemVersion.TryParse(v, SemVersionStyles.Strict, out var parsed) ? parsed : null))
            .OrderBy(v => v.Parsed is null).ThenBy(v => v.Parsed!, SemVersion.SortOrderComparer).ThenBy(v => v.Text, StringComparer.Ordinal)
            .Select(v => v.Text)
            .ToList();
}
