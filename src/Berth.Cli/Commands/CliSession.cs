using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Client;
using Berth.Client.Tls;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>One invocation of a verb: the context, the parsed command line, and the server it talks to.</summary>
internal sealed class CliSession(CliContext context, ParseResult parseResult)
{
    private const string CaVariable = "BERTH_CA_CERT";

    private Auth.Credentials? _credentials;

    public CliContext Context { get; } = context;

    public ParseResult ParseResult { get; } = parseResult;

    public IAnsiConsole Console => Context.Console;

    public IAnsiConsole OutConsole => Context.OutConsole;

    public TextWriter Out => Context.Out;

    /// <summary>True when a prompt may be shown: a person is at a terminal and --non-interactive was not passed.</summary>
    public bool CanPrompt => Context.IsInteractive && !ParseResult.GetValue(GlobalOptions.NonInteractive);

    /// <summary>The server from --server, else $BERTH_URL, else the one saved by 'berth login', else the default address.</summary>
    public Uri ServerAddress => Credentials.Server;

    /// <summary>The server and the token to send it, resolved once per invocation (see <see cref="Auth.Credentials"/>).</summary>
    public Auth.Credentials Credentials => _credentials ??=
        Auth.Credentials.Resolve(Context, ParseResult.GetValue(GlobalOptions.Server), ParseResult.GetValue(GlobalOptions.Token));

    public BerthClient CreateClient()
    {
        if (Credentials is { IsLocalAdminToken: true })
        {
            return new(ServerAddress, CreateHandler(), Context.Time);
        }

        return CaCertificatePath is { } ca
            ? new(ServerAddress, ServerCertificateTrust.CreateHandler(LoadCaCertificates(ca)), Context.Time) { Token = Credentials.Token }
            : new(ServerAddress, Context.Time) { Token = Credentials.Token };
    }

    /// <summary>
    /// The handler for talking to the server outside <see cref="BerthClient"/> (<c>berth mcp</c>): trusts the --ca-cert CA, and
    /// adds the local admin token only once the server proved it wrote admin.token. Any other token is the caller's to send.
    /// </summary>
    public HttpMessageHandler CreateHandler()
    {
        HttpMessageHandler inner = CaCertificatePath is { } trusted ? ServerCertificateTrust.CreateHandler(LoadCaCertificates(trusted)) : new HttpClientHandler();
        return Credentials is { IsLocalAdminToken: true, Token: { } adminToken }
            ? new Auth.LocalAdminTokenHandler(inner, adminToken, Credentials.TokenSource, ServerAddress)
            : inner;
    }

    /// <summary>The CA file from --ca-cert, else $BERTH_CA_CERT, resolved against the current directory; null when neither is set.</summary>
    public string? CaCertificatePath =>
        (ParseResult.GetValue(GlobalOptions.CaCertificate) is { Length: > 0 } option ? option : Context.GetEnvironmentVariable(CaVariable)) is { Length: > 0 } path
            ? Path.GetFullPath(path, Context.CurrentDirectory)
            : null;

    private static X509Certificate2Collection LoadCaCertificates(string path)
    {
        try
        {
            return ServerCertificateTrust.LoadCaCertificates(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CliException($"--ca-cert (or {CaVariable}) must name a PEM or DER CA certificate: {exception.Message}", ExitCodes.Usage);
        }
    }
}
