using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Specs;

namespace Berth.Core.Plugins;

/// <summary>
/// Reads the manifest at the root of a plugin's folder: <c>plugin.yaml</c> (a <c>kind: Plugin</c> document, through the one
/// spec pipeline), else a Stage7 <c>manifest.json</c> converted to the same document first. <c>plugin.yaml</c> wins when both
/// exist. Paths are resolved against the folder and must stay inside it.
/// </summary>
public static class PluginManifestReader
{
    /// <summary>The Berth manifest's file name.</summary>
    public const string YamlFile = "plugin.yaml";

    /// <summary>The Stage7 manifest's file name.</summary>
    public const string Stage7File = "manifest.json";

    /// <summary>Largest manifest read: 1 MiB.</summary>
    public const int MaxManifestBytes = 1 << 20;

    /// <summary>Reads the manifest of the plugin unpacked in <paramref name="directory"/> (an absolute path); never throws for bad input.</summary>
    public static PluginManifest Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var yaml = Path.Combine(root, YamlFile);
        var json = Path.Combine(root, Stage7File);
        if (File.Exists(yaml))
        {
            var notes = File.Exists(json) ? new List<string> { $"{YamlFile} was read; {Stage7File} beside it was ignored ({YamlFile} wins when both exist)" } : [];
            return ReadYaml(root, yaml, notes);
        }

        if (File.Exists(json))
        {
            return ReadStage7(root, json);
        }

        return new PluginManifest
        {
            Errors = [new SpecError("package", $"no {YamlFile} or {Stage7File} at the package's root; expected a {YamlFile} with apiVersion: berth/v1 and kind: Plugin (see docs/plugins.md)")],
        };
    }

    private static PluginManifest ReadYaml(string root, string path, List<string> notes)
    {
        if (ReadText(path) is not { } text)
        {
            return new PluginManifest { File = YamlFile, Notes = notes, Errors = [TooLarge(YamlFile)] };
        }

        return FromSpecText(root, text, YamlFile, notes, prefix: YamlFile);
    }

    private static PluginManifest ReadStage7(string root, string path)
    {
        if (ReadText(path) is not { } text)
        {
            return new PluginManifest { File = Stage7File, Errors = [TooLarge(Stage7File)] };
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = SpecReader.MaximumDepth });
        }
        catch (JsonException ex)
        {
            return new PluginManifest { File = Stage7File, Errors = [new SpecError(Stage7File, $"not valid JSON: {ex.Message.Split(" Path:", 2)[0]}")] };
        }

        if (node is not JsonObject manifest)
        {
            return new PluginManifest { File = Stage7File, Errors = [new SpecError(Stage7File, "expected a JSON object with id, version and container")] };
        }

        var converted = Stage7Manifest.Convert(manifest);
        if (converted.Errors.Count > 0)
        {
            return new PluginManifest { File = Stage7File, Notes = converted.Notes, Errors = [.. converted.Errors.Select(e => e with { Path = $"{Stage7File}: {e.Path}" })] };
        }

        // The converted document goes through the same reader as plugin.yaml (JSON is YAML), so its rules are the same.
        return FromSpecText(root, converted.Document.ToJsonString(), Stage7File, [.. converted.Notes], prefix: $"{Stage7File} (converted)");
    }

    private static PluginManifest FromSpecText(string root, string text, string file, List<string> notes, string prefix)
    {
        var set = SpecReader.Read(text, new SpecReadOptions { Environment = null, BaseDirectory = root, SourceName = file });
        var errors = set.Errors.Select(e => e.Path.StartsWith(file, StringComparison.Ordinal) ? e : e with { Path = $"{prefix}: {e.Path}" }).ToList();
        if (errors.Count == 0 && (set.Resources.Count != 1 || set.Plugins.Count != 1))
        {
            errors.Add(new SpecError(file, $"expected exactly one document, of kind: Plugin; found {set.Resources.Count} ({string.Join(", ", set.Resources.Select(r => r.GetType().Name.Replace("Spec", "", StringComparison.Ordinal)))})"));
        }

        if (errors.Count > 0)
        {
            return new PluginManifest { File = file, Notes = notes, Errors = errors };
        }

        var spec = set.Plugins[0];
        errors.AddRange(Confined(spec, root, prefix));
        return errors.Count > 0
            ? new PluginManifest { File = file, Notes = notes, Errors = errors }
            : new PluginManifest { Spec = spec, File = file, Notes = notes };
    }

    /// <summary>A build context, its Dockerfile and a relative process command must stay inside the plugin's folder.</summary>
    private static IEnumerable<SpecError> Confined(PluginSpec spec, string root, string prefix)
    {
        if (spec.Container?.Build is { } build)
        {
            if (!IsInside(root, build.Context))
            {
                yield return new SpecError($"{prefix}: spec.container.build.context", "leaves the plugin's folder; expected a folder inside it, like . or docker");
            }
            else if (!IsInside(root, Path.GetFullPath(Path.Combine(build.Context, build.Dockerfile))))
            {
                yield return new SpecError($"{prefix}: spec.container.build.dockerfile", "leaves the plugin's folder; expected a file inside the build context, like Dockerfile");
            }
            else if (!File.Exists(Path.Combine(build.Context, build.Dockerfile)))
            {
                yield return new SpecError($"{prefix}: spec.container.build.dockerfile", $"'{build.Dockerfile}' is not in the package; expected the Dockerfile inside the build context");
            }
        }

        if (spec.Process is { } process && Path.IsPathRooted(process.Command) && process.Command.StartsWith(root, StringComparison.Ordinal) && !IsInside(root, process.Command))
        {
            yield return new SpecError($"{prefix}: spec.process.command", "leaves the plugin's folder; expected a program on PATH, an absolute path, or a file inside the folder");
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsInside(string root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return string.Equals(full, root, StringComparison.Ordinal) || full.StartsWith(root + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// The manifest of a plugin whose folder moved from <paramref name="from"/> to <paramref name="to"/>: the paths resolved
    /// against the old folder now point into the new one.
    /// </summary>
    public static PluginSpec Rebase(PluginSpec spec, string from, string to)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string Move(string path) => IsInside(from, path) ? to + path[from.Length..] : path;
        return spec with
        {
            Container = spec.Container is { Build: { } build } container ? container with { Build = build with { Context = Move(build.Context) } } : spec.Container,
            Process = spec.Process is { } process && Path.IsPathRooted(process.Command) ? process with { Command = Move(process.Command) } : spec.Process,
        };
    }

    private static string? ReadText(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxManifestBytes)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static SpecError TooLarge(string file) => new(file, $"larger than {MaxManifestBytes / 1024} KiB; a manifest describes the plugin, it does not carry data");
}
