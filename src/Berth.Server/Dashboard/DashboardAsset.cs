namespace Berth.Server.Dashboard;

/// <summary>One static file of the dashboard: its name, media type and bytes.</summary>
internal sealed record DashboardAsset(string Name, string ContentType, byte[] Content);
