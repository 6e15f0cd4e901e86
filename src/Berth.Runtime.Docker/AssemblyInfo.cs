using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Berth.Runtime.Docker.Tests")]
[assembly: InternalsVisibleTo("Berth.Server")]
[assembly: InternalsVisibleTo("Berth.Server.Tests")]
