using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs.Yaml;

/// <summary>Reads the <c>access</c> mapping of an agent spec: <c>{ agents: [summarizer, search] }</c>.</summary>
internal sealed class AccessBlockReader(NodeReader reader)
{
    private static readonly string[] AccessFields = ["agents"];

    public AccessSpec? Read(YamlNode node, string path)
    {
        if (reader.Mapping(node, path, "{ agents: [summarizer] }") is not { } map)
        {
            return null;
        }

        var access = new AccessSpec();
        foreach (var (_, fieldPath, value) in reader.Fields(map, path, AccessFields))
        {
            access = access with { Agents = reader.TextList(value, fieldPath) ?? [] };
        }

        return access;
    }
}
