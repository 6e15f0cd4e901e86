using System.Reflection;

namespace Berth.Server.Hosting;

/// <summary>The version this server reports (<c>/readyz</c>, MCP's server info): the assembly's informational version.</summary>
internal static class ServerVersion
{
    public static string Informational { get; } =
        typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
