namespace Berth.Core.Specs;

/// <summary>Facts about the server that some rules need and a spec alone cannot tell, such as its data directory.</summary>
public sealed record SpecValidationContext
{
    /// <summary>Host paths, besides the built-in ones (<see cref="HostPathPolicy"/>), that volumes may not mount or contain. Default empty.</summary>
    public IReadOnlyList<ProtectedHostPath> ProtectedHostPaths { get; init; } = [];

    /// <summary>A context protecting the server's data directory <paramref name="dataDirectory"/>.</summary>
    public static SpecValidationContext ForDataDirectory(string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return new SpecValidationContext { ProtectedHostPaths = [HostPathPolicy.DataDirectory(dataDirectory)] };
    }
}
