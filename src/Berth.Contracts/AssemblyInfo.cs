using System.Runtime.CompilerServices;

// Berth.Client: its source-generated contracts reach spec records whose members name internal converters.
[assembly: InternalsVisibleTo("Berth.Client")]
[assembly: InternalsVisibleTo("Berth.Core")]
[assembly: InternalsVisibleTo("Berth.Core.Tests")]
[assembly: InternalsVisibleTo("Berth.Server")]
[assembly: InternalsVisibleTo("Berth.Server.Tests")]
