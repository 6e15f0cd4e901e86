using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Berth.Server.Hosting.Settings;

/// <summary>Refuses a duration setting that is neither <c>30s</c> nor <c>00:00:30</c>, naming its key (<c>Berth:Docker:StopGrace</c>).</summary>
internal sealed class DurationSettingsValidator<T>(IConfigurationSection section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<string>();
        foreach (var key in DurationSettings.KeysOf(typeof(T)))
        {
            if (section[key] is { } text && !DurationSettings.TryParse(text, out _))
            {
                failures.Add($"{section.Path}:{key} must be {DurationSettings.Hint}; got '{text}'");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
