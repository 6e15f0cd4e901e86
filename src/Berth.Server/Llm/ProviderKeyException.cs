namespace Berth.Server.Llm;

/// <summary>An endpoint's key cannot be read; the message says why, naming the secret, never its value.</summary>
internal sealed class ProviderKeyException(string message) : Exception(message);
