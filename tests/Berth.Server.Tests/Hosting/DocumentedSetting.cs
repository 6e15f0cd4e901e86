namespace Berth.Server.Tests.Hosting;

/// <summary>A setting the docs name: the value a test sets through configuration, and how to read back what the server uses.</summary>
internal sealed record DocumentedSetting(string Key, string Value, string Expected, Func<IServiceProvider, object?> Read);
