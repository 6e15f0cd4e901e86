using Berth.Client.Contracts;

namespace Berth.Server.Mcp.Tools;

/// <summary>What <c>list_topics</c> answers.</summary>
/// <param name="Topics">The topics, by name.</param>
internal sealed record TopicList(IReadOnlyList<TopicView> Topics);
