using Berth.Core.Specs;
using Microsoft.Extensions.Options;

namespace Berth.Server.Exec;

/// <summary>Checks <see cref="ExecSettings"/> at start, naming the key to fix.</summary>
internal sealed class ExecSettingsValidator : IValidateOptions<ExecSettings>
{
    public ValidateOptionsResult Validate(string? name, ExecSettings options) =>
        options.IdleTimeout < TimeSpan.FromSeconds(1) || options.IdleTimeout > ExecSettings.MaxIdleTimeout
            ? ValidateOptionsResult.Fail($"{ExecSettings.Section}:IdleTimeout must be between 1s and {Duration.Format(ExecSettings.MaxIdleTimeout)}; got {Duration.Format(options.IdleTimeout)}")
            : ValidateOptionsResult.Success;
}
