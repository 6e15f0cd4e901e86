using Berth.Core.Specs.Binding;

namespace Berth.Core.Specs;

/// <summary>How many instances of a plugin run: a warm floor, a ceiling under load, and how long an idle extra one lives.</summary>
public sealed record PluginPoolSpec
{
    /// <summary>Instances kept running even with no calls. Default 0: the first call starts one.</summary>
    [Expected("a number of instances from 0 to 100")]
    public int MinWarm { get; set; }

    /// <summary>Most instances run under load, at least 1 and at least <see cref="MinWarm"/>. Default 4.</summary>
    [Expected("a number of instances from 1 to 100")]
    public int MaxInstances { get; set; } = 4;

    /// <summary>How long an instance above <see cref="MinWarm"/> may be idle before it is stopped. Default 5m.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Calls one instance takes at a time. Default 1.</summary>
    [Expected("a number of calls from 1 to 1000")]
    public int Concurrency { get; set; } = 1;
}
