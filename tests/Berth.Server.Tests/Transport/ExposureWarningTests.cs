using Berth.Server.Hosting.Tls;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Tests.Transport;

/// <summary>A server reachable from other machines without TLS says so, loudly.</summary>
public sealed class ExposureWarningTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    public void Dispose() => _tls.Dispose();

    [Fact]
    public async Task StartAsync_AllInterfacesWithoutTls_WarnsAboutClearText()
    {
        await using var server = await _tls.StartServerAsync("http://0.0.0.0:0");

        var warning = server.Warnings.ShouldHaveSingleItem();
        warning.ShouldContain("http://0.0.0.0:0");
        warning.ShouldContain("clear text");
        warning.ShouldContain("--tls-cert");
        server.Address.Host.ShouldBe("127.0.0.1");
    }

    [Fact]
    public async Task StartAsync_LoopbackWithoutTls_DoesNotWarn()
    {
        await using var server = await _tls.StartServerAsync("http://127.0.0.1:0");

        server.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task StartAsync_AllInterfacesWithTls_DoesNotWarn()
    {
        await using var server = await _tls.StartServerAsync("https://0.0.0.0:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);

        server.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://0.0.0.0:2378", true)]
    [InlineData("http://[::]:2378", true)]
    [InlineData("http://*:2378", true)]
    [InlineData("http://+:2378", true)]
    [InlineData("http://192.168.1.20:2378", true)]
    [InlineData("http://berth.internal:2378", true)]
    [InlineData("http://127.0.0.1:2378", false)]
    [InlineData("http://127.0.0.2:2378", false)]
    [InlineData("http://[::1]:2378", false)]
    [InlineData("http://localhost:2378", false)]
    [InlineData("http://unix:/run/berth.sock", false)]
    public void IsReachableFromOtherMachines_Address_ClassifiesLoopbackOnlyAsLocal(string url, bool reachable) =>
        TransportSecurity.IsReachableFromOtherMachines(BindingAddress.Parse(url)).ShouldBe(reachable);
}
