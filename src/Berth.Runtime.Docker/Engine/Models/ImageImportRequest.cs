namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Imports a root file system tarball as an image (<c>docker import</c>).</summary>
public sealed record ImageImportRequest
{
    /// <summary>Repository, for example <c>berth-test/busybox</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>Tag. Default <c>latest</c>.</summary>
    public string Tag { get; init; } = "latest";

    /// <summary>Dockerfile instructions applied to the image, such as <c>CMD ["/bin/sh"]</c> or <c>EXPOSE 8000</c>.</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>Commit message. Optional.</summary>
    public string? Message { get; init; }
}
