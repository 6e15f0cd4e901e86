namespace Berth.Core.Specs;

/// <summary>How error paths name entries whose keys are not identifiers, so the reader and the validator agree.</summary>
internal static class SpecPaths
{
    /// <summary>The path of one entry of <c>files</c>: <c>spec.files['/run/secrets/key']</c>.</summary>
    public static string File(string filesPath, string key) => $"{filesPath}['{key}']";
}
