using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Berth.Messaging.Tests")]
[assembly: InternalsVisibleTo("Berth.Server")]
