using Microsoft.Extensions.Options;

namespace Berth.Messaging.RabbitMq;

/// <summary>Checks <see cref="RabbitMqOptions"/> at start; every message names the key to set.</summary>
internal sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
        {
            failures.Add("Berth:Messaging:RabbitMq:Url must be an amqp:// or amqps:// URI with a host, e.g. amqp://guest:guest@127.0.0.1:5672/");
        }

        if (options.OperationTimeout < TimeSpan.FromSeconds(1) || options.OperationTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Berth:Messaging:RabbitMq:OperationTimeout must be from 1s to 5m");
        }

        if (options.RetakeHeldAfter < TimeSpan.FromSeconds(1) || options.RetakeHeldAfter > TimeSpan.FromHours(12))
        {
            failures.Add("Berth:Messaging:RabbitMq:RetakeHeldAfter must be from 1s to 12h, and below the server's consumer_timeout");
        }

        if (options.MaxHeldPerSubscription is < 1 or > 100_000)
        {
            failures.Add("Berth:Messaging:RabbitMq:MaxHeldPerSubscription must be from 1 to 100000");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
