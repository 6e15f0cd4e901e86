using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Berth.Storage.Tests")]
[assembly: InternalsVisibleTo("Berth.Server")]
[assembly: InternalsVisibleTo("Berth.Server.Tests")]
[assembly: InternalsVisibleTo("Berth.Messaging.Tests")]
[assembly: InternalsVisibleTo("Berth.Messaging.RabbitMq")]
