using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs.Yaml;

/// <summary>Reads a <c>resources</c> mapping (<c>{ memory: 512Mi, cpus: 0.5 }</c>), shared by agent specs and container steps.</summary>
internal sealed class ResourcesBlockReader(NodeReader reader)
{
    private static readonly string[] ResourceFields = ["memory", "cpus"];

    public ResourceSpec? Read(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ memory: 512Mi, cpus: 0.5 }") is not { } map)
        {
            return null;
        }

        var resources = new ResourceSpec();
        foreach (var (key, fieldPath, value) in reader.Fields(map, path, ResourceFields))
        {
            var text = reader.Text(value, fieldPath);
            if (text is null)
            {
                continue;
            }

            if (key == "memory")
            {
                if (SafeParse.ByteSize(text, out var bytes))
                {
                    resources = resources with { MemoryBytes = bytes };
                }
                else
                {
                    reader.Error(fieldPath, value, $"expected a size like 512Mi or 2Gi, found '{text}'");
                }
            }
            else if (CpuQuantity.TryParse(text, out var cores))
            {
                resources = resources with { Cpus = cores };
            }
            else
            {
                reader.Error(fieldPath, value, $"expected cores like 0.5 or 2, or millicores like 500m, found '{text}'");
            }
        }

        return resources;
    }
}
