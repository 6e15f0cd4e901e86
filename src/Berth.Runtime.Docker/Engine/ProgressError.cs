namespace Berth.Runtime.Docker.Engine;

/// <summary>The <c>errorDetail</c> of a progress message.</summary>
internal sealed record ProgressError
{
    public int? Code { get; init; }

    public string? Message { get; init; }
}
