using System.Diagnostics;
using Npgsql;

namespace Berth.Testing.Postgres;

/// <summary>
/// A PostgreSQL server for tests, and a fresh database on it per test. <c>BERTH_TEST_POSTGRES</c> names the server as a
/// superuser URL (<c>scripts/test.sh</c> starts one cluster for the whole run with <c>scripts/postgres.sh</c>); without it the
/// first test to ask starts a scratch cluster the same way and stops it when the test process exits.
/// </summary>
public static class ScratchPostgres
{
    /// <summary>The variable naming the server.</summary>
    public const string Variable = "BERTH_TEST_POSTGRES";

    private static readonly Lazy<Server> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's superuser URL (its <c>postgres</c> database).</summary>
    public static string ServerUrl => Shared.Value.Url;

    /// <summary>Creates an empty database with a unique name and returns its URL; drop it with <see cref="DropDatabaseAsync"/>.</summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"berth_test_{Guid.NewGuid():N}"[..30];
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'", cancellationToken);
        return WithDatabase(ServerUrl, name);
    }

    /// <summary>Drops the database at <paramref name="url"/>, closing any connection still open to it.</summary>
    public static async Task DropDatabaseAsync(string url, CancellationToken cancellationToken)
    {
        var name = new Uri(url).AbsolutePath.TrimStart('/');
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", cancellationToken);
    }

    /// <summary><paramref name="url"/> with its database replaced by <paramref name="database"/>.</summary>
    public static string WithDatabase(string url, string database) => new UriBuilder(url) { Path = "/" + database }.Uri.ToString();

    /// <summary>An Npgsql connection string for <paramref name="url"/> (a <c>postgres://user:password@host:port/db</c> URL).</summary>
    public static string ConnectionString(string url)
    {
        var uri = new Uri(url);
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(uri.UserInfo[..colon]),
            Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]),
            Database = uri.AbsolutePath.TrimStart('/'),
        }.ConnectionString;
    }

    private static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(ServerUrl));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Server Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return new Server(configured, null);
        }

        var directory = Path.Combine(Path.GetTempPath(), $"berth-postgres-{Guid.NewGuid():N}"[..28]);
        var url = Run(Path.Combine(Repository.Root, "scripts", "postgres.sh"), "--fast", "--dir", directory).Trim();
        var server = new Server(url, directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run(Path.Combine(Repository.Root, "scripts", "postgres.sh"), "--stop", directory);
        return server;
    }

    private static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TestTimeouts.Slow))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} did not finish within {TestTimeouts.Slow}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{script} {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}. " +
                $"Set {Variable} to a PostgreSQL superuser URL, or install PostgreSQL's server (apt-get install postgresql).");
        }

        return output.Result;
    }

    private sealed record Server(string Url, string? Directory);
}
