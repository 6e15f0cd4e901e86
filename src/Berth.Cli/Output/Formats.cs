using System.Globalization;
using System.Text.Json;
using Berth.Client;

namespace Berth.Cli.Output;

/// <summary>Short human forms of times and enum values for tables.</summary>
internal static class Formats
{
    /// <summary>The enum as the API writes it: <c>on-failure</c>, <c>running</c>.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, BerthClientJson.TypeInfo<T>()).Trim('"');

    /// <summary>Elapsed time like kubectl's AGE column: <c>45s</c>, <c>12m</c>, <c>3h</c>, <c>5d</c>.</summary>
    public static string Age(DateTimeOffset since, DateTimeOffset now)
    {
        var elapsed = now - since;
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        return elapsed.TotalSeconds < 60 ? $"{(int)elapsed.TotalSeconds}s"
            : elapsed.TotalMinutes < 60 ? $"{(int)elapsed.TotalMinutes}m"
            : elapsed.TotalHours < 48 ? $"{(int)elapsed.TotalHours}h"
            : $"{(int)elapsed.TotalDays}d";
    }

    /// <summary>A UTC time with its age: <c>2026-01-01 10:00:00Z (3m ago)</c>; <c>-</c> when null.</summary>
    public static string Time(DateTimeOffset? time, DateTimeOffset now) =>
        time is { } value
            ? $"{value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z ({Age(value, now)} ago)"
            : "-";

    /// <summary>The state coloured for a table cell (markup).</summary>
    public static string StateMarkup(string state) => state switch
    {
        "running" => "[green]running[/]",
        "failed" => "[red]failed[/]",
        "unhealthy" or "restarting" => $"[yellow]{state}[/]",
        _ => state,
    };
}
