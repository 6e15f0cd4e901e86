namespace Berth.Server.Mcp.Resources;

/// <summary>Text a client sent (a URI, an id), made safe to echo in an error: at most 100 characters, control characters replaced.</summary>
internal static class ClientText
{
    public static string Printable(string? text)
    {
        var cut = (text ?? "").Length > 100 ? text![..100] + "…" : text ?? "";
        return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
