using Microsoft.Extensions.Options;

namespace Berth.Server.Audit;

/// <summary>Checks <see cref="AuditSettings"/> at start, naming the key to set.</summary>
internal sealed class AuditSettingsValidator : IValidateOptions<AuditSettings>
{
    public ValidateOptionsResult Validate(string? name, AuditSettings options) =>
        options.RetentionDays is >= 1 and <= 36500
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AuditSettings.Section}:RetentionDays must be a whole number of days from 1 to 36500");
}
