namespace Berth.Storage.Sql;

/// <summary>
/// Announces that messages were published to a topic, so consumers waiting on its subscriptions look again at once rather
/// than at their next recheck. On SQLite one server owns the file and the announcement stays in the process; on PostgreSQL a
/// publish sends <c>NOTIFY</c> in its transaction and every server sharing the database hears it through <c>LISTEN</c>.
/// Best effort: an announcement lost (a listener reconnecting) only delays a consumer until its next recheck.
/// </summary>
internal interface IMessageArrivals
{
    /// <summary>
    /// Calls <paramref name="arrived"/> with the topic of every publish that commits from now on (on any thread; it must not
    /// block), until the returned registration is disposed. Completes once announcements are heard.
    /// </summary>
    Task<IDisposable> SubscribeAsync(Action<string> arrived, CancellationToken cancellationToken);
}
