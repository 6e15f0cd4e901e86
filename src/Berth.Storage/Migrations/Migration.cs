namespace Berth.Storage.Migrations;

/// <summary>One numbered schema change.</summary>
/// <param name="Version">1, 2, 3…: the order in which migrations run.</param>
/// <param name="Name">The file name without number and extension, for example <c>agents</c>.</param>
/// <param name="Sql">The statements to run, in the dialect of the database they target.</param>
internal sealed record Migration(int Version, string Name, string Sql);
