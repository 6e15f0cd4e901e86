using Microsoft.Extensions.Options;

namespace Berth.Server.RateLimiting;

/// <summary>Checks <see cref="RateLimitSettings"/> at start: every budget positive unless limits are off, naming the key and how to turn them off.</summary>
internal sealed class RateLimitSettingsValidator : IValidateOptions<RateLimitSettings>
{
    public ValidateOptionsResult Validate(string? name, RateLimitSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        List<string> failures =
        [
            .. Check(options.RequestsPerSecond, nameof(RateLimitSettings.RequestsPerSecond)),
            .. Check(options.Burst, nameof(RateLimitSettings.Burst)),
            .. Check(options.BytesPerSecond, nameof(RateLimitSettings.BytesPerSecond)),
            .. Check(options.BytesBurst, nameof(RateLimitSettings.BytesBurst)),
        ];
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Check(int value, string key) =>
        value > 0
            ? []
            : [$"{RateLimitSettings.Section}:{key} must be a positive whole number; to turn rate limiting off, set {RateLimitSettings.Section}:Enabled=false"];
}
