using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Security;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Secrets;

public sealed class SecretKeyStartTests
{
    [Fact]
    public async Task StartAsync_CorruptKeyFile_FailsToStartNamingTheFile()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"berth-badkey-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        var keyFile = Path.Combine(dataDir, SecretKeySource.FileName);
        await File.WriteAllTextAsync(keyFile, "dG9vIHNob3J0");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            var error = await Should.ThrowAsync<BerthServerStartException>(() => TestServer.StartAsync(dataDir: dataDir));

            error.Message.ShouldContain(keyFile);
            error.Message.ShouldContain(SecretKeySource.EnvironmentVariable);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task RestartAsync_SameDataDirectory_SecretsStayReadableAndRedacted()
    {
        var (server, _) = await SecretsTestServer.StartAsync();
        await using var _ = server;
        var value = $"survives-{Guid.NewGuid():N}";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        (await server.Http.PutAsync("/api/v1/secrets/kept", content, TestTimeouts.Token())).EnsureSuccessStatusCode();
        File.GetUnixFileMode(Path.Combine(server.DataDir, SecretKeySource.FileName)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await server.RestartAsync();
        server.Http.DefaultRequestHeaders.Authorization ??= new AuthenticationHeaderValue(
            "Bearer", (await File.ReadAllTextAsync(Path.Combine(server.DataDir, AdminTokenBootstrap.FileName))).Trim());

        server.Server.Services.GetRequiredService<SecretRedactor>().Redact($"x {value} y").ShouldBe("x [redacted:kept] y");
        var read = await server.Server.Services.GetRequiredService<SecretVault>().ReadAsync("kept", TestTimeouts.Token());
        Encoding.UTF8.GetString(read!).ShouldBe(value);
    }
}
