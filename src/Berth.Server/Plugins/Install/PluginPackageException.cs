namespace Berth.Server.Plugins.Install;

/// <summary>A plugin package that cannot be accepted (too large, an entry leaving its folder, a link); the message says which entry and why.</summary>
internal sealed class PluginPackageException(string message) : Exception(message);
