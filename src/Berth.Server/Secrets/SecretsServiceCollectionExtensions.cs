using Berth.Core.Security;
using Berth.Core.Specs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Secrets;

/// <summary>Registers encrypted secrets: the key and cipher, the vault, the resolver for agent launches, and redaction of logs and problems.</summary>
internal static class SecretsServiceCollectionExtensions
{
    private const string InnerLoggerFactoryKey = "berth:unredacted";

    /// <summary>
    /// Adds secrets with the key from <c>BERTH_SECRETS_KEY</c> or <c>secrets.key</c> in <paramref name="dataDirectory"/>
    /// (loaded when first needed; <see cref="SecretVault.LoadAsync"/> at start makes that the start-up).
    /// Expects an <see cref="Core.Storage.ISecretStore"/> to be registered.
    /// </summary>
    public static IServiceCollection AddBerthSecrets(this IServiceCollection services, string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        services.TryAddSingleton(_ => new SecretCipher(LoadKey(dataDirectory)));
        services.TryAddSingleton<SecretRedactor>();
        services.TryAddSingleton<SecretVault>();
        services.TryAddSingleton<ISecretResolver, SecretResolver>();
        services.AddProblemDetails();
        services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var customize = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                customize?.Invoke(context);
                RedactProblem(context);
            };
        });
        RedactLogging(services);
        return services;
    }

    private static SecretKey LoadKey(string dataDirectory)
    {
        try
        {
            return SecretKeySource.Load(dataDirectory, Environment.GetEnvironmentVariable(SecretKeySource.EnvironmentVariable));
        }
        catch (SecretKeyException ex)
        {
            throw new BerthServerStartException($"The secrets key cannot be used: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BerthServerStartException(
                $"The secrets key in {Path.Combine(dataDirectory, SecretKeySource.FileName)} cannot be read or created: {ex.Message}; check the data directory's owner and permissions, or set {SecretKeySource.EnvironmentVariable}", ex);
        }
    }

    private static void RedactProblem(ProblemDetailsContext context)
    {
        var redactor = context.HttpContext.RequestServices.GetRequiredService<SecretRedactor>();
        var problem = context.ProblemDetails;
        problem.Title = redactor.Redact(problem.Title);
        problem.Detail = redactor.Redact(problem.Detail);
        foreach (var (key, value) in problem.Extensions.ToList())
        {
            problem.Extensions[key] = value switch
            {
                string text => redactor.Redact(text),
                IEnumerable<SpecError> errors => errors.Select(e => e with { Message = redactor.Redact(e.Message) }).ToList(),
                _ => value,
            };
        }
    }

    // Every ILogger the server hands out comes from this factory, so wrapping it covers all providers, including ones added later.
    private static void RedactLogging(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ILoggerFactory) && Equals(d.ServiceKey, InnerLoggerFactoryKey)))
        {
            return;
        }

        services.AddLogging();
        var descriptor = services.Last(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);

        services.Remove(descriptor);
        services.Add(descriptor switch
        {
            { ImplementationType: { } type } => new ServiceDescriptor(typeof(ILoggerFactory), InnerLoggerFactoryKey, type, descriptor.Lifetime),
            { ImplementationInstance: { } instance } => new ServiceDescriptor(typeof(ILoggerFactory), InnerLoggerFactoryKey, instance),
            { ImplementationFactory: { } factory } => new ServiceDescriptor(typeof(ILoggerFactory), InnerLoggerFactoryKey, (sp, _) => factory(sp), descriptor.Lifetime),
            _ => throw new InvalidOperationException("The registered ILoggerFactory cannot be wrapped for secret redaction."),
        });
        services.AddSingleton<ILoggerFactory>(sp => new RedactingLoggerFactory(
            sp.GetRequiredKeyedService<ILoggerFactory>(InnerLoggerFactoryKey), sp.GetRequiredService<SecretRedactor>()));
    }
}
