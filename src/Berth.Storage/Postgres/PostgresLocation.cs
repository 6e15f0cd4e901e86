using System.Globalization;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Where a PostgreSQL store is, from the URL an operator gives (<c>postgres://user:password@host:5432/berth?sslmode=require</c>,
/// the form libpq and most tools take). The password stays in <see cref="ConnectionString"/>; <see cref="Describe"/> leaves it out.
/// </summary>
internal sealed class PostgresLocation
{
    private static readonly Dictionary<string, Action<NpgsqlConnectionStringBuilder, string>> Options = new(StringComparer.Ordinal)
    {
        ["sslmode"] = (b, v) => b.SslMode = Enum.Parse<SslMode>(v.Replace("-", "", StringComparison.Ordinal), ignoreCase: true),
        ["application_name"] = (b, v) => b.ApplicationName = v,
        ["connect_timeout"] = (b, v) => b.Timeout = int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture),
        ["pool_max"] = (b, v) => b.MaxPoolSize = int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture),
    };

    private PostgresLocation(NpgsqlConnectionStringBuilder builder)
    {
        ConnectionString = builder.ConnectionString;
        var port = builder.Port == NpgsqlConnection.DefaultPort ? "" : $":{builder.Port}";
        // An IPv6 address keeps its brackets, or its last group would read as the port.
        var host = builder.Host!.Contains(':', StringComparison.Ordinal) ? $"[{builder.Host}]" : builder.Host;
        DescribeText = $"postgres://{builder.Username}@{host}{port}/{builder.Database}";
    }

    /// <summary>The Npgsql connection string, password included: never log it.</summary>
    public string ConnectionString { get; }

    private string DescribeText { get; }

    /// <summary>Whether <paramref name="store"/> names a PostgreSQL store rather than a SQLite file.</summary>
    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a <c>postgres://</c> URL.</summary>
    /// <exception cref="ArgumentException">The URL is malformed; the message says what is wrong, without the password.</exception>
    public static PostgresLocation Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        const string Example = "postgres://USER:PASSWORD@HOST:5432/DATABASE";
        if (!IsPostgres(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"The store must be a URL like {Example}; the one given cannot be read.", nameof(url));
        }

        var (user, password) = UserInfo(uri.UserInfo);
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(database) || database.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The store URL must name a user and one database, as in {Example}.", nameof(url));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort ? NpgsqlConnection.DefaultPort : uri.Port,
            Username = user,
            Password = password,
            Database = database,
            ApplicationName = "berth",
        };
        foreach (var (name, value) in Query(uri.Query))
        {
            if (!Options.TryGetValue(name, out var apply))
            {
                throw new ArgumentException(
                    $"The store URL has the option '{name}', which Berth does not know; it takes {string.Join(", ", Options.Keys)}.", nameof(url));
            }

            try
            {
                apply(builder, value);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
            {
                throw new ArgumentException($"The store URL's option {name}={value} is not valid: {ex.Message}", nameof(url), ex);
            }
        }

        return new PostgresLocation(builder);
    }

    /// <summary>The store without its password (<c>postgres://berth@db.internal/berth</c>).</summary>
    public string Describe() => DescribeText;

    public override string ToString() => DescribeText;

    private static (string User, string? Password) UserInfo(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), null)
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    private static IEnumerable<(string Name, string Value)> Query(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0
                ? (Uri.UnescapeDataString(pair), "")
                : (Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]));
        }
    }
}
