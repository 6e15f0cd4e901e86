using System.Text;
using Berth.Core.Security;

namespace Berth.Core.Tests.Security;

public sealed class SecretCipherTests
{
    private readonly SecretCipher _cipher = new(SecretKey.Generate());

    [Fact]
    public void Decrypt_RoundTrip_ReturnsTheValue()
    {
        var value = Encoding.UTF8.GetBytes("sk-live-ünïcode-" + Guid.NewGuid());

        var blob = _cipher.Encrypt("openai", value);

        _cipher.Decrypt("openai", blob).ShouldBe(value);
        Encoding.UTF8.GetString(blob).ShouldNotContain("sk-live");
    }

    [Fact]
    public void Encrypt_SameValueTwice_UsesFreshNonces()
    {
        var value = "same value"u8.ToArray();

        _cipher.Encrypt("a", value).ShouldNotBe(_cipher.Encrypt("a", value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(40)]
    public void Decrypt_AnyByteChanged_ThrowsInsteadOfReturningGarbage(int index)
    {
        var blob = _cipher.Encrypt("db-password", "correct horse battery staple"u8);
        blob[index] ^= 0x01;

        var error = Should.Throw<SecretDecryptionException>(() => _cipher.Decrypt("db-password", blob));

        error.SecretName.ShouldBe("db-password");
        error.Message.ShouldContain("berth secrets set db-password");
    }

    [Fact]
    public void Decrypt_UnderAnotherName_Throws()
    {
        var blob = _cipher.Encrypt("staging-key", "value-of-staging"u8);

        var error = Should.Throw<SecretDecryptionException>(() => _cipher.Decrypt("prod-key", blob));

        error.Message.ShouldContain("altered or belongs to another name");
    }

    [Fact]
    public void Decrypt_WithAnotherKey_NamesBothKeyIds()
    {
        var blob = _cipher.Encrypt("token", "value"u8);
        var other = new SecretCipher(SecretKey.Generate());

        var error = Should.Throw<SecretDecryptionException>(() => other.Decrypt("token", blob));

        error.Message.ShouldContain("encrypted with another key");
        error.Message.ShouldContain(SecretKey.FormatId(_cipher.KeyId));
        error.Message.ShouldContain(SecretKey.FormatId(other.KeyId));
    }

    [Fact]
    public void Decrypt_TruncatedOrUnknownFormat_Throws()
    {
        Should.Throw<SecretDecryptionException>(() => _cipher.Decrypt("x", new byte[10])).Message.ShouldContain("format");
        var blob = _cipher.Encrypt("x", "value"u8);
        blob[0] = 9;
        Should.Throw<SecretDecryptionException>(() => _cipher.Decrypt("x", blob)).Message.ShouldContain("format");
    }
}
