namespace Berth.Core.Specs;

public static partial class AgentSpecValidator
{
    private const int MaximumPersistenceAttempts = 100;

    private static readonly TimeSpan MaximumRequestTimeout = TimeSpan.FromHours(1);

    // Checked even when persistence is disabled, so turning it back on cannot reveal a spec that was already wrong.
    private static void ValidatePersistence(PersistenceSpec persistence, Paths at, List<SpecError> errors)
    {
        if (persistence.MaxAttempts is < 1 or > MaximumPersistenceAttempts)
        {
            errors.Add(new SpecError(at["persistence.maxAttempts"], $"{persistence.MaxAttempts} is out of range; expected 1 to {MaximumPersistenceAttempts}"));
        }

        if (persistence.Backoff <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["persistence.backoff"], "must be more than zero; expected a duration like 500ms or 1s"));
        }

        if (persistence.MaxBackoff <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["persistence.maxBackoff"], "must be more than zero; expected a duration like 30s or 1m"));
        }
        else if (persistence.Backoff > TimeSpan.Zero && persistence.MaxBackoff < persistence.Backoff)
        {
            errors.Add(new SpecError(at["persistence.maxBackoff"], $"must be at least backoff ({Duration.Format(persistence.Backoff)})"));
        }

        if (persistence.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["persistence.requestTimeout"], "must be more than zero; expected a duration like 60s or 2m"));
        }
        else if (persistence.RequestTimeout > MaximumRequestTimeout)
        {
            errors.Add(new SpecError(at["persistence.requestTimeout"], $"{Duration.Format(persistence.RequestTimeout)} is too long; expected at most 1h"));
        }

        if (persistence.RetentionPeriod <= TimeSpan.Zero)
        {
            errors.Add(new SpecError(at["persistence.retentionPeriod"], "must be more than zero; expected a duration like 7d or 12h"));
        }
    }
}
