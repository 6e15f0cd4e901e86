using Berth.Cli.Tests.Infrastructure;
using Berth.Server;
using Berth.Testing;
using Berth.Testing.Tls;
using Microsoft.Data.Sqlite;

namespace Berth.Cli.Tests.Transport;

/// <summary>The CLI against a real server on https://127.0.0.1 whose certificate comes from a CA made at test time.</summary>
public sealed class TlsCliTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create();
    private BerthServer? _server;

    private string CaPem => Path.Combine(_directory.Path, "ca.pem");

    private string DataDir => Path.Combine(_directory.Path, "data");

    public async Task InitializeAsync()
    {
        _authority.WriteCaPem(CaPem);
        using var certificate = _authority.IssueServerCertificate();
        var cert = TestCertificateAuthority.WriteCertificatePem(certificate, Path.Combine(_directory.Path, "server.pem"));
        var key = TestCertificateAuthority.WriteKeyPem(certificate, Path.Combine(_directory.Path, "server.key"));
        _server = await BerthServer.StartAsync(
            ["--urls", "https://127.0.0.1:0", "--data-dir", DataDir, "--runtime", "process", "--tls-cert", cert, "--tls-key", key],
            TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _authority.Dispose();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = _server!.Address.GetLeftPart(UriPartial.Authority);
        harness.Environment["BERTH_DATA_DIR"] = DataDir;
        return harness;
    }

    [Fact]
    public async Task GetAgents_CaCertOption_TalksToTheTlsServer()
    {
        var result = await Harness().RunAsync("get", "agents", "--ca-cert", "ca.pem", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.Trim().ShouldBe("[]");
    }

    [Fact]
    public async Task GetAgents_CaCertVariable_TalksToTheTlsServer()
    {
        var harness = Harness();
        harness.Environment["BERTH_CA_CERT"] = CaPem;

        var result = await harness.RunAsync("get", "agents", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task GetAgents_WithoutTheCa_FailsOnTheCertificate()
    {
        var result = await Harness().RunAsync("get", "agents");

        result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
        result.Err.ShouldContain("no TLS connection");
        result.Err.ShouldContain("--ca-cert");
    }

    [Fact]
    public async Task GetAgents_CaCertFileMissing_IsAUsageError()
    {
        var result = await Harness().RunAsync("get", "agents", "--ca-cert", "missing.pem");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--ca-cert");
    }
}
