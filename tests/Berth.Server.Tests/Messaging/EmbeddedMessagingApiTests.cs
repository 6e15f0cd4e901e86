namespace Berth.Server.Tests.Messaging;

/// <summary>The messaging API on the embedded broker (SQLite, the default backend).</summary>
public sealed class EmbeddedMessagingApiTests(EmbeddedMessagingServer fixture) : MessagingApiTests<EmbeddedMessagingServer>(fixture);
