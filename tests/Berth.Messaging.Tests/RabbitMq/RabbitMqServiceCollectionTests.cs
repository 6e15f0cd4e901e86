using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq;
using Berth.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Messaging.Tests.RabbitMq;

public sealed class RabbitMqServiceCollectionTests
{
    [Fact]
    public async Task AddRabbitMqBroker_WithTheSqliteStore_OneConcreteBrokerAndNoIMessageBroker()
    {
        await using var provider = Services(o => o.Url = "amqp://berth:secret@rabbit.internal:5673/berth").BuildServiceProvider();

        var broker = provider.GetRequiredService<RabbitMqMessageBroker>();

        broker.ShouldBeSameAs(provider.GetRequiredService<RabbitMqMessageBroker>());
        broker.Name.ShouldBe("rabbitmq");
        provider.GetService<IMessageBroker>().ShouldBeNull("the server picks the broker by configuration");
        provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Url.ShouldBe("amqp://berth:secret@rabbit.internal:5673/berth");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5672/", "Berth:Messaging:RabbitMq:Url")]
    [InlineData("not a uri", "Berth:Messaging:RabbitMq:Url")]
    public async Task AddRabbitMqBroker_BadUrl_ValidationNamesTheKey(string url, string key)
    {
        await using var provider = Services(o => o.Url = url).BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value);

        error.Message.ShouldContain(key);
    }

    [Fact]
    public async Task AddRabbitMqBroker_TimeoutAndHeldOutOfRange_ValidationNamesEachKey()
    {
        await using var provider = Services(o =>
        {
            o.OperationTimeout = TimeSpan.Zero;
            o.MaxHeldPerSubscription = 0;
        }).BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value);

        error.Message.ShouldContain("Berth:Messaging:RabbitMq:OperationTimeout");
        error.Message.ShouldContain("Berth:Messaging:RabbitMq:MaxHeldPerSubscription");
    }

    private static ServiceCollection Services(Action<RabbitMqOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSqliteStore(Path.Combine(Path.GetTempPath(), "berth-rabbitmq-tests", Guid.NewGuid().ToString("N"), "berth.db"));
        services.AddRabbitMqBroker(configure);
        return services;
    }
}
