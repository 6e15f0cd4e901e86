using System.Globalization;

namespace Berth.Core.Specs.Yaml;

/// <summary>Writes a <c>resources</c> mapping that <see cref="ResourcesBlockReader"/> reads back to an equal <see cref="ResourceSpec"/>.</summary>
internal static class ResourcesBlockWriter
{
    public static void Write(YamlTextWriter yaml, ResourceSpec resources)
    {
        yaml.BeginMap("resources");
        if (resources.MemoryBytes is { } memory)
        {
            yaml.Field("memory", ByteSize.Format(memory));
        }

        if (resources.Cpus is { } cpus)
        {
            // 500m reads back exactly only for whole millicores; anything finer keeps every digit
            var text = CpuQuantity.Format(cpus);
            var exact = CpuQuantity.TryParse(text, out var back) && back == cpus;
            yaml.PlainField("cpus", exact ? text : cpus.ToString("R", CultureInfo.InvariantCulture));
        }

        yaml.EndMap();
    }
}
