namespace Berth.Server.Plugins;

/// <summary>A plugin manifest's schema does not build; the message names the field.</summary>
internal sealed class PluginSchemaException(string message, Exception? inner = null) : Exception(message, inner);
