using Microsoft.AspNetCore.Http;

namespace Berth.Server.Audit;

/// <summary>
/// Lets a handler name the object a request acted on when the route does not (a create names what it created):
/// <c>AuditTarget.Set(context, $"id={record.Id}")</c>. Never pass a secret value or a token.
/// </summary>
internal static class AuditTarget
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, string target)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Key] = target;
    }

    public static string? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as string : null;
}
