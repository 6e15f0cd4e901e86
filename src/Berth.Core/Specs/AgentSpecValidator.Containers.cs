using System.Text.RegularExpressions;
using Berth.Core.Specs.Yaml;

namespace Berth.Core.Specs;

public static partial class AgentSpecValidator
{
    private static void ValidateVolumes(AgentSpec spec, Paths at, SpecValidationContext? context, List<SpecError> errors)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            var volume = spec.Volumes[i];
            var path = at[$"volumes[{i}]"];
            if (volume.Target.Length == 0)
            {
                errors.Add(new SpecError($"{path}.target", "required; expected an absolute path inside the container like /data"));
            }
            else if (!volume.Target.StartsWith('/'))
            {
                errors.Add(new SpecError($"{path}.target", $"'{volume.Target}' is not absolute; expected a path inside the container like /data"));
            }
            else if (!targets.Add(volume.Target.TrimEnd('/')))
            {
                errors.Add(new SpecError($"{path}.target", $"'{volume.Target}' is mounted twice; expected each target once"));
            }

            if (volume.Source.Length == 0)
            {
                errors.Add(new SpecError($"{path}.source", "required; expected a named volume like data or an absolute host path"));
            }
            else if (VolumeSourceError(volume.Source, context) is { } message)
            {
                errors.Add(new SpecError($"{path}.source", message));
            }
        }
    }

    private static string? VolumeSourceError(string source, SpecValidationContext? context)
    {
        if (source.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character; expected a named volume or an absolute host path like /srv/data";
        }

        if (source.StartsWith('/'))
        {
            return HostPathPolicy.TryNormalize(source, out var normalized)
                ? HostPathPolicy.Check(normalized, context?.ProtectedHostPaths)
                : $"'{source}' contains '..'; expected a plain absolute host path like /srv/data (paths are compared as written, so '..' is refused rather than resolved)";
        }

        if (source.Contains('/', StringComparison.Ordinal) || source.StartsWith('.') || source.StartsWith('~'))
        {
            return $"'{source}' is a relative host path; expected an absolute host path like /srv/data, or a named volume ({SpecNames.DnsLabelHint})";
        }

        return SpecNames.IsDnsLabel(source)
            ? null
            : $"'{source}' is not valid; expected a named volume ({SpecNames.DnsLabelHint}) or an absolute host path like /srv/data";
    }

    private static void ValidateSecurity(AgentSpec spec, Paths at, List<SpecError> errors)
    {
        if (spec.Security is not { } security)
        {
            return;
        }

        var added = new HashSet<string>(StringComparer.Ordinal);
        var capabilities = security.Capabilities?.Add ?? [];
        for (var i = 0; i < capabilities.Count; i++)
        {
            var path = at[$"security.capabilities.add[{i}]"];
            var name = LinuxCapabilities.Normalize(capabilities[i] ?? string.Empty);
            if (name == "ALL")
            {
                errors.Add(new SpecError(path, "adding ALL would give the agent every capability, as good as a privileged container; list only the ones it needs, like NET_BIND_SERVICE"));
            }
            else if (!LinuxCapabilities.IsKnown(name))
            {
                var suggestion = name.Length == 0 ? null : FieldSuggester.Suggest(name, LinuxCapabilities.Names);
                errors.Add(new SpecError(path, $"'{capabilities[i]}' is not a Linux capability; " + (suggestion is null
                    ? "expected a name from capabilities(7) like NET_BIND_SERVICE or CHOWN (CAP_ prefix optional)"
                    : $"did you mean '{suggestion}'?")));
            }
            else if (!added.Add(name))
            {
                errors.Add(new SpecError(path, $"'{capabilities[i]}' is listed twice; expected each capability once"));
            }
        }

        if (security.RunAsUser is { } user && !UserPattern().IsMatch(user))
        {
            errors.Add(new SpecError(at["security.runAsUser"], $"'{user}' is not valid; expected a user id like 1000, uid:gid like 1000:1000, or a user name known to the image"));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();
}
