using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Berth.Runtime.Process.Tests")]
[assembly: InternalsVisibleTo("Berth.Server")]
[assembly: InternalsVisibleTo("Berth.Server.Tests")]
