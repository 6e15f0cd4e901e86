namespace Berth.Core.Specs;

/// <summary>A Dockerfile build. <see cref="Context"/> is an absolute directory once the spec is applied.</summary>
public sealed record BuildSpec
{
    /// <summary>Directory sent as the build context; relative paths resolve against the spec file's directory.</summary>
    public string Context { get; set; } = string.Empty;

    /// <summary>Dockerfile path inside the context. Default <c>Dockerfile</c>.</summary>
    public string Dockerfile { get; set; } = "Dockerfile";
}
