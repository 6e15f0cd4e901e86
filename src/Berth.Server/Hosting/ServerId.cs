namespace Berth.Server.Hosting;

/// <summary>This server's stable id (from its data directory): the owner of its containers and of the request leases it holds.</summary>
internal sealed record ServerId(string Value);
