using Microsoft.Extensions.Options;

namespace Berth.Server.Messaging;

/// <summary>Checks <see cref="MessagingOptions"/> at start, naming the key to set.</summary>
internal sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    /// <summary>The backends <c>Berth:Messaging:Backend</c> may name.</summary>
    public static readonly string[] Backends = ["embedded", "rabbitmq"];

    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var failures = new List<string>();
        if (!Backends.Contains(options.Backend, StringComparer.Ordinal))
        {
            failures.Add($"{MessagingOptions.Section}:Backend must be one of {string.Join(", ", Backends)}; got '{options.Backend}'");
        }

        Between(options.MaxWait, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "MaxWait", failures);
        Between(options.PushTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "PushTimeout", failures);
        Between(options.MaxReplyWait, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "MaxReplyWait", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string key, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{MessagingOptions.Section}:{key} must be a duration from {Core.Specs.Duration.Format(min)} to {Core.Specs.Duration.Format(max)}; got {Core.Specs.Duration.Format(value)}");
        }
    }
}
