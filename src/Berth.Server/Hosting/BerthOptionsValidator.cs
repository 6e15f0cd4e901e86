using Berth.Core.Specs;
using Microsoft.Extensions.Options;

namespace Berth.Server.Hosting;

/// <summary>Checks <see cref="BerthOptions"/> at start; every message names the key to set.</summary>
internal sealed class BerthOptionsValidator : IValidateOptions<BerthOptions>
{
    // Polly's circuit breaker refuses a sampling window or break outside these bounds, and fewer than two failures.
    private static readonly TimeSpan MinBreakerDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBreakerDuration = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, BerthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(failures, Path.IsPathFullyQualified(options.DataDir), "Berth:DataDir must be an absolute path");
        Check(failures, options.FilesDirectory is null || Path.IsPathFullyQualified(options.FilesDirectory), "Berth:FilesDirectory must be an absolute path");
        Check(failures, options.Reconciler.Interval > TimeSpan.Zero, "Berth:Reconciler:Interval must be a positive duration");
        Check(failures, options.Reconciler.StopGrace >= TimeSpan.Zero, "Berth:Reconciler:StopGrace must not be negative");
        Check(failures, options.Leader.RenewInterval > TimeSpan.Zero && options.Leader.RenewInterval * 3 <= options.Leader.LeaseDuration,
            "Berth:Leader:RenewInterval must be positive and at most a third of Berth:Leader:LeaseDuration (a leader renews several times per lease)");
        Check(failures, options.Requests.MaxWait >= TimeSpan.Zero, "Berth:Requests:MaxWait must not be negative");
        Check(failures, options.Requests.DefaultWait >= TimeSpan.Zero && options.Requests.DefaultWait <= options.Requests.MaxWait,
            "Berth:Requests:DefaultWait must be between 0s and Berth:Requests:MaxWait");
        Check(failures, options.Requests.MaxStoredResponseBytes >= 0, "Berth:Requests:MaxStoredResponseBytes must be 0 or more");
        Check(failures, options.Requests.MaxDurableBodyBytes >= 1, "Berth:Requests:MaxDurableBodyBytes must be a positive number of bytes");
        Check(failures, options.Requests.ReplayConcurrency >= 1, "Berth:Requests:ReplayConcurrency must be at least 1");
        Check(failures, options.Workflows.MaxForEachItems >= 1, "Berth:Workflows:MaxForEachItems must be at least 1");
        Check(failures, options.Workflows.MaxChildDepth >= 1, "Berth:Workflows:MaxChildDepth must be at least 1");
        Check(failures, options.Workflows.MaxActiveRuns >= 1, "Berth:Workflows:MaxActiveRuns must be at least 1");
        var breaker = options.Workflows.CircuitBreaker;
        Check(failures, breaker.Failures >= 2, "Berth:Workflows:CircuitBreaker:Failures must be at least 2");
        Check(failures, IsBreakerDuration(breaker.Window), BreakerDuration("Window"));
        Check(failures, IsBreakerDuration(breaker.BreakDuration), BreakerDuration("BreakDuration"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBreakerDuration(TimeSpan value) => value >= MinBreakerDuration && value <= MaxBreakerDuration;

    private static string BreakerDuration(string key) =>
        $"Berth:Workflows:CircuitBreaker:{key} must be from {Duration.Format(MinBreakerDuration)} to {Duration.Format(MaxBreakerDuration)}";

    private static void Check(List<string> failures, bool valid, string message)
    {
        if (!valid)
        {
            failures.Add(message);
        }
    }
}
