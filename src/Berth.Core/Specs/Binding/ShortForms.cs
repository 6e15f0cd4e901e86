using System.Text.Json.Nodes;

namespace Berth.Core.Specs.Binding;

/// <summary>Types a spec may also write as one line of text, and the mapping each line stands for.</summary>
internal static class ShortForms
{
    private static readonly Dictionary<Type, (Func<string, JsonObject?> Expand, string Expected)> Forms = new()
    {
        [typeof(VolumeSpec)] = (Volume, "'source:/target' or 'source:/target:ro', or a mapping { source, target, readOnly }"),
        [typeof(Messaging.DeliverySpec)] = (mode => mode == "pull" ? new JsonObject { ["pull"] = new JsonObject() } : null, "pull, or a mapping { push: { agent, path, concurrency } }"),
        [typeof(Llm.ModelEntry)] = (name => new JsonObject { ["name"] = name }, "a model name like gpt-4o-mini, or a mapping { name, alias }"),
        [typeof(DeclaredCapability)] = (name => new JsonObject { ["name"] = name }, "a capability name like summarize, or a mapping { name, version, inputs, outputs }"),
    };

    public static bool TryGet(Type type, out Func<string, JsonObject?> expand, out string expected)
    {
        var found = Forms.TryGetValue(type, out var form);
        (expand, expected) = form;
        return found;
    }

    // data:/data, /srv/in:/in:ro
    private static JsonObject? Volume(string text)
    {
        var parts = text.Split(':');
        if (parts is not { Length: 2 or 3 } || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
        {
            return null;
        }

        return new JsonObject { ["source"] = parts[0], ["target"] = parts[1], ["readOnly"] = parts.Length == 3 && parts[2] == "ro" };
    }
}
