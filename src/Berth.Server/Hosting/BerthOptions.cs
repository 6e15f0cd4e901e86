namespace Berth.Server.Hosting;

/// <summary>
/// Server settings, bound from the <c>Berth</c> configuration section; <c>Berth:Docker</c> and <c>Berth:Process</c> bind the
/// drivers' own options. Durations are written <c>30s</c>, <c>5m</c>, <c>1h30m</c> or <c>00:00:30</c>.
/// </summary>
public sealed class BerthOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Berth";

    /// <summary>The address the server listens on unless <c>--urls</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:2378";

    /// <summary>Directory for the database, process logs and keys. Default <c>~/.berth</c>.</summary>
    public string DataDir { get; set; } = DefaultDataDir();

    /// <summary>
    /// Memory-backed (tmpfs) directory for the files agents' specs ask for, secrets included, so their values never reach a disk.
    /// Default <c>/dev/shm/berth-{server id}</c>.
    /// </summary>
    public string? FilesDirectory { get; set; }

    /// <summary>
    /// Where Berth keeps its state: unset for the SQLite file in <see cref="DataDir"/> (the default), or a PostgreSQL URL
    /// (<c>postgres://user:password@host:5432/database</c>) that several servers may share. The URL holds a password: give it
    /// through <c>BERTH_STORE</c> rather than the command line, where other local users can read it.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>Which runtime drivers to use: <c>auto</c> (default), <c>docker</c> or <c>process</c>.</summary>
    public RuntimeMode Runtime { get; set; } = RuntimeMode.Auto;

    /// <summary>Reconciler settings.</summary>
    public ReconcilerSettings Reconciler { get; set; } = new();

    /// <summary>The leader lease of servers sharing one database.</summary>
    public LeaderSettings Leader { get; set; } = new();

    /// <summary>Durable proxy settings.</summary>
    public RequestSettings Requests { get; set; } = new();

    /// <summary>TLS settings; without a certificate the server speaks plain HTTP.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>The workflow engine.</summary>
    public WorkflowSettings Workflows { get; set; } = new();

    /// <summary>Secrets settings.</summary>
    public SecretSettings Secrets { get; set; } = new();

    /// <summary>Path of the SQLite database inside <see cref="DataDir"/>.</summary>
    public string DatabasePath => Path.Combine(DataDir, "berth.db");

    private static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".berth");

    /// <summary>Secrets settings (<c>Berth:Secrets</c>).</summary>
    public sealed class SecretSettings
    {
        /// <summary>
        /// Accept this server's secrets key for a store written with another one, whose key is lost. Values written with the
        /// old key stay unreadable and must be set again. Default false: a server with another key is refused at start.
        /// </summary>
        public bool ReplaceLostKey { get; set; }
    }

    /// <summary>Reconciler settings.</summary>
    public sealed class ReconcilerSettings
    {
        /// <summary>How often the reconciler compares desired and actual state. Default 1s.</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How long an instance may take to stop before it is killed. Default 10s.</summary>
        public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);
    }

    /// <summary>The leader lease (<c>Berth:Leader</c>): which of the servers sharing a database reconciles and schedules.</summary>
    public sealed class LeaderSettings
    {
        /// <summary>How long a lease lasts unless renewed: another server takes over within this and one renew interval of a leader's death. Default 15s.</summary>
        public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>How often the leader renews (and the others try to take) the lease. Default 5s; at most a third of the lease.</summary>
        public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(5);
    }

    /// <summary>Durable proxy settings (<c>Berth:Requests</c>).</summary>
    public sealed class RequestSettings
    {
        /// <summary>How long a caller waits for an agent that is not healthy before getting 202 Accepted, unless its <c>Berth-Wait</c> says otherwise. Default 30s.</summary>
        public TimeSpan DefaultWait { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The longest <c>Berth-Wait</c> a caller may ask for. Default 5m.</summary>
        public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>Bytes of each response body kept in the store; longer bodies are kept cut and flagged. Default 1 MiB.</summary>
        public int MaxStoredResponseBytes { get; set; } = 1 << 20;

        /// <summary>
        /// Largest request body the durable proxy stores, in bytes: a durable request is held in memory while it is stored,
        /// so this bounds what concurrent large requests cost. Larger bodies are refused with 413. Default 8 MiB.
        /// </summary>
        public long MaxDurableBodyBytes { get; set; } = 8L * 1024 * 1024;

        /// <summary>Queued requests replayed to one agent at once. Default 8.</summary>
        public int ReplayConcurrency { get; set; } = 8;
    }

    /// <summary>TLS settings (<c>Berth:Tls</c>).</summary>
    public sealed class TlsSettings
    {
        /// <summary>Path of the server certificate: a PEM chain (leaf first) or a PKCS#12 (.pfx/.p12) file. Unset means no TLS.</summary>
        public string? Certificate { get; set; }

        /// <summary>Path of the PEM private key when it is not in the <see cref="Certificate"/> file.</summary>
        public string? Key { get; set; }

        /// <summary>Password of the PKCS#12 file or of an encrypted PEM private key.</summary>
        public string? Password { get; set; }
    }

    /// <summary>Workflow engine settings.</summary>
    public sealed class WorkflowSettings
    {
        /// <summary>Circuit breakers per step target.</summary>
        public CircuitBreakerSettings CircuitBreaker { get; set; } = new();

        /// <summary>Most items one <c>forEach</c> step runs; a longer list fails the step as <c>config</c>. Default 1,000.</summary>
        public int MaxForEachItems { get; set; } = 1_000;

        /// <summary>Deepest chain of child workflow runs (a root run's child is at depth 1); a deeper child fails its step as <c>config</c>. Default 8.</summary>
        public int MaxChildDepth { get; set; } = 8;

        /// <summary>Runs executing at once on one server; a parent run waiting only for its child runs does not count. Default 64.</summary>
        public int MaxActiveRuns { get; set; } = 64;
    }

    /// <summary>When a step target's circuit opens, and for how long.</summary>
    public sealed class CircuitBreakerSettings
    {
        /// <summary>Failed attempts in a row (transient or timed out) that open the circuit; at least 2. Default 5.</summary>
        public int Failures { get; set; } = 5;

        /// <summary>The window those failures must fall in. Default 1m.</summary>
        public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>How long the circuit stays open before one trial attempt. Default 30s.</summary>
        public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
    }
}
