using System.Net;
using Berth.Client;

namespace Berth.Cli.Auth;

/// <summary>
/// Which server the CLI talks to and which token it sends. Server: <c>--server</c>, <c>BERTH_URL</c>, the login context
/// file, the default address. Token: <c>--token</c>, <c>BERTH_TOKEN</c>, the context file (only for the server it was
/// saved for), then <c>admin.token</c> in the local data directory (only for a loopback server, and only once that server
/// has proved it wrote the file: <see cref="LocalAdminTokenHandler"/>).
/// </summary>
internal sealed record Credentials(Uri Server, string? Token, string TokenSource, bool IsLocalAdminToken = false)
{
    public const string TokenVariable = "BERTH_TOKEN";

    public const string DataDirVariable = "BERTH_DATA_DIR";

    public const string AdminTokenFileName = "admin.token";

    private const string ServerVariable = "BERTH_URL";

    public static Credentials Resolve(CliContext context, string? serverOption, string? tokenOption)
    {
        var saved = CliContextFile.Load(context);
        var server = ParseServer(serverOption, "--server")
            ?? ParseServer(context.GetEnvironmentVariable(ServerVariable), ServerVariable)
            ?? ParseServer(saved?.Server, CliContextFile.PathFor(context) ?? "the context file")
            ?? BerthClient.DefaultAddress;

        if (!string.IsNullOrWhiteSpace(tokenOption))
        {
            return new Credentials(server, tokenOption.Trim(), "--token");
        }

        if (context.GetEnvironmentVariable(TokenVariable) is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            return new Credentials(server, variable.Trim(), TokenVariable);
        }

        // The saved token goes only to the server it was saved for, never to whatever --server names now.
        if (saved is not null && SameServer(ParseServer(saved.Server, "the context file"), server))
        {
            return new Credentials(server, saved.Token, CliContextFile.PathFor(context)!);
        }

        // admin.token belongs to the server on this machine; a remote server must never receive the local admin credential,
        // so it is read only when the server URL is a loopback address.
        if (IsLoopback(server) && AdminTokenPath(context) is { } path && File.Exists(path))
        {
            try
            {
                return new Credentials(server, File.ReadAllText(path).Trim(), path, IsLocalAdminToken: true);
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's server: fall through to sending no token, and the 401 message says what to do.
            }
        }

        return new Credentials(server, null, "none");
    }

    /// <summary><c>{BERTH_DATA_DIR or ~/.berth}/admin.token</c>; null when neither BERTH_DATA_DIR nor HOME is set.</summary>
    public static string? AdminTokenPath(CliContext context)
    {
        var dataDir = context.GetEnvironmentVariable(DataDirVariable) is { Length: > 0 } configured
            ? configured
            : context.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? Path.Combine(home, ".berth") : null;
        return dataDir is null ? null : Path.Combine(Path.GetFullPath(dataDir, context.CurrentDirectory), AdminTokenFileName);
    }

    public static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool SameServer(Uri? a, Uri b) =>
        a is not null && string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private static Uri? ParseServer(string? text, string source)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"{source} must be an http:// or https:// URL like http://127.0.0.1:2378, got '{text}'", ExitCodes.Usage);
        }

        return address;
    }
}
