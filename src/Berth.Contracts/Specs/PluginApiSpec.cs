namespace Berth.Core.Specs;

/// <summary>Where a plugin takes calls.</summary>
public sealed record PluginApiSpec
{
    /// <summary>Path of the call, starting with '/'. Default <c>/execute</c>.</summary>
    public string Endpoint { get; set; } = "/execute";

    /// <summary>HTTP method of the call. Default POST.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>Time one call may take. Default 30s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
