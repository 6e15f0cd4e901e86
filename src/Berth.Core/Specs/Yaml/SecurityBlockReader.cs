using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs.Yaml;

/// <summary>Reads the <c>security</c> mapping of an agent spec; known capability names are normalised (<c>cap_net_raw</c> becomes <c>NET_RAW</c>).</summary>
internal sealed class SecurityBlockReader(NodeReader reader)
{
    private static readonly string[] SecurityFields = ["capabilities", "readOnlyRootFilesystem", "runAsUser"];
    private static readonly string[] CapabilityFields = ["add"];

    public SecuritySpec? Read(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ capabilities: { add: [NET_BIND_SERVICE] }, readOnlyRootFilesystem: true }") is not { } map)
        {
            return null;
        }

        var security = new SecuritySpec();
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, SecurityFields))
        {
            security = key switch
            {
                "capabilities" => security with { Capabilities = ReadCapabilities(value, fieldPath) },
                "readOnlyRootFilesystem" => security with { ReadOnlyRootFilesystem = reader.Boolean(value, fieldPath) ?? false },
                _ => security with { RunAsUser = reader.Text(value, fieldPath) },
            };
        }

        return security;
    }

    private CapabilitySpec? ReadCapabilities(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ add: [NET_BIND_SERVICE] }") is not { } map)
        {
            return null;
        }

        var capabilities = new CapabilitySpec();
        foreach (var (_, fieldPath, value) in reader.Fields(map, path, CapabilityFields))
        {
            // unknown names stay as written so the validator's message quotes what the author typed
            var names = reader.TextList(value, fieldPath) ?? [];
            capabilities = capabilities with { Add = names.Select(n => LinuxCapabilities.IsKnown(n) ? LinuxCapabilities.Normalize(n) : n).ToList() };
        }

        return capabilities;
    }
}
