using System.Text;
using Berth.Core.Security;

namespace Berth.Core.Tests.Security;

public sealed class SecretKeySourceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-key-{Guid.NewGuid():N}");

    private string KeyPath => Path.Combine(_directory, SecretKeySource.FileName);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Load_FirstStart_CreatesAnOwnerOnlyKeyFileAndReusesIt()
    {
        var first = SecretKeySource.Load(_directory, null);

        File.GetUnixFileMode(KeyPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Convert.FromBase64String(File.ReadAllText(KeyPath)).Length.ShouldBe(SecretKey.Length);
        SecretKeySource.Load(_directory, null).Id.ShouldBe(first.Id);
        Directory.GetFiles(_directory).ShouldHaveSingleItem();
    }

    [Fact]
    public void Load_ManyAtOnce_AllAgreeOnOneKey()
    {
        var ids = new uint[8];
        Parallel.For(0, ids.Length, i => ids[i] = SecretKeySource.Load(_directory, null).Id);

        ids.Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public void Load_EnvironmentKey_WinsOverTheFile()
    {
        var fileKey = SecretKeySource.Load(_directory, null);
        var environmentKey = SecretKey.Generate();

        var loaded = SecretKeySource.Load(_directory, environmentKey.ToBase64());

        loaded.Id.ShouldBe(environmentKey.Id);
        loaded.Id.ShouldNotBe(fileKey.Id);
        var blob = new SecretCipher(environmentKey).Encrypt("n", "value"u8);
        new SecretCipher(loaded).Decrypt("n", blob).ShouldBe("value"u8.ToArray());
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQ=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Load_InvalidEnvironmentKey_NamesTheVariable(string value)
    {
        var error = Should.Throw<SecretKeyException>(() => SecretKeySource.Load(_directory, value));

        error.Message.ShouldContain(SecretKeySource.EnvironmentVariable);
        error.Message.ShouldContain("32");
        File.Exists(KeyPath).ShouldBeFalse();
    }

    [Fact]
    public void Load_CorruptKeyFile_NamesTheFile()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(KeyPath, "garbage", Encoding.ASCII);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Should.Throw<SecretKeyException>(() => SecretKeySource.Load(_directory, null)).Message.ShouldContain(KeyPath);
    }

    [Fact]
    public void Load_KeyFileReadableByOthers_RefusesWithChmodAdvice()
    {
        SecretKeySource.Load(_directory, null);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Should.Throw<SecretKeyException>(() => SecretKeySource.Load(_directory, null)).Message.ShouldContain($"chmod 600 {KeyPath}");
    }
}
