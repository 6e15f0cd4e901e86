using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins;

/// <summary>Checks <see cref="PluginOptions"/> at start, naming the key to set.</summary>
internal sealed class PluginOptionsValidator : IValidateOptions<PluginOptions>
{
    public ValidateOptionsResult Validate(string? name, PluginOptions options)
    {
        var failures = new List<string>();
        if (!Path.IsPathFullyQualified(options.Directory))
        {
            failures.Add($"{PluginOptions.Section}:Directory must be an absolute path; got '{options.Directory}'");
        }

        Positive(options.MaxPackageBytes, "MaxPackageBytes", failures);
        Positive(options.MaxUnpackedBytes, "MaxUnpackedBytes", failures);
        Positive(options.MaxFiles, "MaxFiles", failures);
        Positive(options.MaxPayloadBytes, "MaxPayloadBytes", failures);
        if (options.CheckTimeout <= TimeSpan.Zero || options.CheckTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{PluginOptions.Section}:CheckTimeout must be a duration from 1s to 1h, like 5m");
        }

        if (options.InvocationRetentionDays is < 1 or > 36_500)
        {
            failures.Add($"{PluginOptions.Section}:InvocationRetentionDays must be a whole number of days from 1 to 36500; got {options.InvocationRetentionDays}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(long value, string key, List<string> failures)
    {
        if (value <= 0)
        {
            failures.Add($"{PluginOptions.Section}:{key} must be a positive number; got {value}");
        }
    }
}
