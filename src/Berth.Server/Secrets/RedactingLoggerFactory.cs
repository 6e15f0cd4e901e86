using Microsoft.Extensions.Logging;

namespace Berth.Server.Secrets;

/// <summary>
/// Wraps the server's logger factory so every logger redacts secret values before any provider sees the entry.
/// Wrapping the factory, not each provider, also covers providers added later through <see cref="AddProvider"/>.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, SecretRedactor redactor) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The inner factory belongs to the service provider, which disposes it.
    public void Dispose()
    {
    }
}
