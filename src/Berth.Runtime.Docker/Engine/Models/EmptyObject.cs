namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>The <c>{}</c> value Docker uses in sets such as <c>ExposedPorts</c>.</summary>
public sealed record EmptyObject
{
    /// <summary>The shared instance.</summary>
    public static readonly EmptyObject Instance = new();
}
