using Berth.Storage.Postgres;
using Npgsql;

namespace Berth.Storage.Tests.Postgres;

/// <summary>Reading the <c>postgres://</c> URL an operator gives, and never showing its password.</summary>
public sealed class PostgresLocationTests
{
    private const string Password = "pw-s3cret";

    private static NpgsqlConnectionStringBuilder Settings(PostgresLocation location) => new(location.ConnectionString);

    [Fact]
    public void Parse_FullUrl_ReadsEveryPartAndDescribesWithoutThePassword()
    {
        var location = PostgresLocation.Parse(
            $"postgres://berth:{Password}@db.internal:6543/berth_prod?sslmode=verify-full&application_name=berth-eu&connect_timeout=7&pool_max=40");

        var settings = Settings(location);
        settings.Host.ShouldBe("db.internal");
        settings.Port.ShouldBe(6543);
        settings.Username.ShouldBe("berth");
        settings.Password.ShouldBe(Password);
        settings.Database.ShouldBe("berth_prod");
        settings.SslMode.ShouldBe(SslMode.VerifyFull);
        settings.ApplicationName.ShouldBe("berth-eu");
        settings.Timeout.ShouldBe(7);
        settings.MaxPoolSize.ShouldBe(40);
        location.Describe().ShouldBe("postgres://berth@db.internal:6543/berth_prod");
        location.ToString().ShouldBe(location.Describe());
    }

    [Fact]
    public void Parse_PercentEncodedUserPasswordAndDatabase_Decoded()
    {
        var location = PostgresLocation.Parse("postgresql://ops%40corp:p%40ss%3Aw%2Frd%25@db/berth%20eu");

        var settings = Settings(location);
        settings.Username.ShouldBe("ops@corp");
        settings.Password.ShouldBe("p@ss:w/rd%");
        settings.Database.ShouldBe("berth eu");
        location.Describe().ShouldNotContain("p@ss");
        location.Describe().ShouldNotContain("p%40ss");
    }

    [Fact]
    public void Parse_NoPort_DefaultPortAndNotInTheDescription()
    {
        var location = PostgresLocation.Parse($"postgres://berth:{Password}@db.internal/berth");

        Settings(location).Port.ShouldBe(5432);
        Settings(location).ApplicationName.ShouldBe("berth");
        location.Describe().ShouldBe("postgres://berth@db.internal/berth");
    }

    [Fact]
    public void Parse_NoPassword_ConnectsWithoutOne()
    {
        var location = PostgresLocation.Parse("postgres://berth@localhost/berth");

        Settings(location).Password.ShouldBeNull();
        location.Describe().ShouldBe("postgres://berth@localhost/berth");
    }

    [Theory]
    [InlineData("postgres://berth:{0}@[::1]:5433/berth", "::1", 5433, "postgres://berth@[::1]:5433/berth")]
    [InlineData("postgres://berth:{0}@[fd00::12:1]/berth", "fd00::12:1", 5432, "postgres://berth@[fd00::12:1]/berth")]
    public void Parse_Ipv6Host_HostWithoutBracketsAndDescribedWithThem(string url, string host, int port, string described)
    {
        var location = PostgresLocation.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, Password));

        Settings(location).Host.ShouldBe(host);
        Settings(location).Port.ShouldBe(port);
        location.Describe().ShouldBe(described);
    }

    [Theory]
    [InlineData("mysql://berth:{0}@db/berth", "cannot be read")]
    [InlineData("postgres://berth:{0}@:5432/berth", "cannot be read")]
    [InlineData("postgres://berth:{0}@db:port/berth", "cannot be read")]
    [InlineData("postgres://berth:{0}@db:99999/berth", "cannot be read")]
    [InlineData("postgres:berth:{0}@db/berth", "cannot be read")]
    [InlineData("postgres://:{0}@db/berth", "must name a user and one database")]
    [InlineData("postgres://berth:{0}@db", "must name a user and one database")]
    [InlineData("postgres://berth:{0}@db/", "must name a user and one database")]
    [InlineData("postgres://berth:{0}@db/berth/extra", "must name a user and one database")]
    [InlineData("postgres://berth:{0}@db/berth?sslmode=sometimes", "sslmode=sometimes is not valid")]
    [InlineData("postgres://berth:{0}@db/berth?pool_max=-1", "pool_max=-1 is not valid")]
    [InlineData("postgres://berth:{0}@db/berth?connect_timeout=soon", "connect_timeout=soon is not valid")]
    public void Parse_Malformed_ArgumentExceptionSaysWhatIsWrongWithoutThePassword(string url, string expected)
    {
        var error = Should.Throw<ArgumentException>(() => PostgresLocation.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, Password)));

        error.Message.ShouldContain(expected);
        error.Message.ShouldNotContain(Password);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("sslrootcert")]
    [InlineData("SSLMODE")]
    public void Parse_UnknownOption_RejectedNamingItAndTheKnownOnes(string option)
    {
        var error = Should.Throw<ArgumentException>(() => PostgresLocation.Parse($"postgres://berth:{Password}@db/berth?{option}=x"));

        error.Message.ShouldContain($"'{option}'");
        error.Message.ShouldContain("sslmode, application_name, connect_timeout, pool_max");
        error.Message.ShouldNotContain(Password);
    }
}
