using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Specs;
using Berth.Server.Reconciliation;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Reconciliation;

/// <summary>The prober with real sockets: whatever the stored health path says, it only ever talks to the instance's own address.</summary>
public sealed class NetworkHealthProbeTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private readonly TcpListener _instance = new(IPAddress.Loopback, 0);
    private readonly TcpListener _elsewhere = new(IPAddress.Loopback, 0);

    public NetworkHealthProbeTests()
    {
        _instance.Start();
        _elsewhere.Start();
    }

    private int ElsewherePort => ((IPEndPoint)_elsewhere.LocalEndpoint).Port;

    private Uri InstanceEndpoint => new($"http://127.0.0.1:{((IPEndPoint)_instance.LocalEndpoint).Port}");

    public void Dispose()
    {
        _instance.Dispose();
        _elsewhere.Dispose();
        _services.Dispose();
    }

    // Answers one request with 200 and returns its request line.
    private async Task<string> AnswerOnceAsync()
    {
        using var client = await _instance.AcceptTcpClientAsync(TestTimeouts.Token());
        var stream = client.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, TestTimeouts.Token());
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), TestTimeouts.Token());
        return received.ToString().Split("\r\n")[0];
    }

    [Theory]
    [InlineData("//127.0.0.1:{port}/x")]
    [InlineData("///127.0.0.1:{port}/x")]
    [InlineData("/\\127.0.0.1:{port}/x")]
    [InlineData("@127.0.0.1:{port}/x")]
    public async Task Probe_StoredPathNamingAnotherHost_GoesToTheInstanceOnly(string template)
    {
        var path = template.Replace("{port}", ElsewherePort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var probe = new NetworkHealthProbe(_services.GetRequiredService<IHttpClientFactory>());
        var answered = AnswerOnceAsync();

        var result = await probe.ProbeAsync(InstanceEndpoint, new HealthSpec { Path = path, Timeout = TestTimeouts.Quick }, AgentProtocol.Http, TestTimeouts.Token());

        result.Healthy.ShouldBeTrue(result.Detail);
        (await answered.WaitAsync(TestTimeouts.Token())).ShouldStartWith("GET /");
        _elsewhere.Pending().ShouldBeFalse("the probe connected to a port the health path named, not the instance's");
    }

    [Fact]
    public void ProbeUri_OrdinaryPathWithQuery_IsOnTheInstance() =>
        NetworkHealthProbe.ProbeUri(new Uri("http://127.0.0.1:8000"), "/v1/health?deep=1")!.ToString().ShouldBe("http://127.0.0.1:8000/v1/health?deep=1");
}
