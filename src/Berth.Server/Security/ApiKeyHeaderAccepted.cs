namespace Berth.Server.Security;

/// <summary>
/// Endpoint metadata: the route also takes a Berth token in <c>x-api-key</c> when no Authorization header is sent (the LLM
/// gateway, where Anthropic's SDKs send their key that way).
/// </summary>
internal sealed class ApiKeyHeaderAccepted
{
    public const string Header = "x-api-key";
}
