using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Berth.Core")]
[assembly: InternalsVisibleTo("Berth.Core.Tests")]
[assembly: InternalsVisibleTo("Berth.Server")]
[assembly: InternalsVisibleTo("Berth.Server.Tests")]
