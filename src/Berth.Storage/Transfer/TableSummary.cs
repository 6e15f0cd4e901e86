namespace Berth.Storage.Transfer;

/// <summary>One table of a store as a backup, restore or migration saw it: its rows and a SHA-256 over them in key order.</summary>
public sealed record TableSummary(string Table, long Rows, string Checksum);
