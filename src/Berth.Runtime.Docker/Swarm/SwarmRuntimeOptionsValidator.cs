using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Swarm;

/// <summary>Refuses, at start, a relay image that cannot be an image reference.</summary>
internal sealed class SwarmRuntimeOptionsValidator : IValidateOptions<SwarmRuntimeOptions>
{
    private const int MaxReferenceLength = 255;

    public ValidateOptionsResult Validate(string? name, SwarmRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var image = options.RelayImage;
        return string.IsNullOrWhiteSpace(image) || image.Length > MaxReferenceLength || image.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? ValidateOptionsResult.Fail($"{SwarmRuntimeOptions.Section}:RelayImage must be an image reference such as busybox:1.37 (no spaces, at most {MaxReferenceLength} characters)")
            : ValidateOptionsResult.Success;
    }
}
