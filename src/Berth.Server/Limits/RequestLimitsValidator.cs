using Microsoft.Extensions.Options;

namespace Berth.Server.Limits;

/// <summary>Checks <see cref="RequestLimits"/> at start, naming the key to set.</summary>
internal sealed class RequestLimitsValidator : IValidateOptions<RequestLimits>
{
    public ValidateOptionsResult Validate(string? name, RequestLimits options) =>
        options.MaxRequestBodyBytes > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{RequestLimits.Section}:MaxRequestBodyBytes must be a positive number of bytes; got {options.MaxRequestBodyBytes}");
}
