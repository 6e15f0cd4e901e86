namespace Berth.Server.Plugins.Install;

/// <summary>A package unpacked for install or check: its staging folder (removed afterwards), the plugin's folder inside it, and its digest.</summary>
internal sealed record StagedPackage(string Staging, string Root, string Digest);
