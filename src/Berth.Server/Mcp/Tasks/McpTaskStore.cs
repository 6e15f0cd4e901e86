namespace Berth.Server.Mcp.Tasks;

/// <summary>Finds a task by its id among the <see cref="IMcpTaskSource"/>s (by the id's prefix); there is no store of tasks apart from Berth's records.</summary>
internal sealed class McpTaskStore(IEnumerable<IMcpTaskSource> sources)
{
    /// <summary>Longest task id accepted; anything longer names no task.</summary>
    public const int MaxIdLength = 200;

    private readonly IReadOnlyList<IMcpTaskSource> _sources = sources.ToList();

    public Task<McpTask?> GetAsync(string taskId, CancellationToken cancellationToken) =>
        Resolve(taskId) is ({ } source, var id) ? source.GetAsync(id, cancellationToken) : Task.FromResult<McpTask?>(null);

    /// <summary>The source of <paramref name="taskId"/> and the record's id in it, or nulls.</summary>
    public (IMcpTaskSource? Source, string Id) Resolve(string taskId)
    {
        if (string.IsNullOrEmpty(taskId) || taskId.Length > MaxIdLength)
        {
            return (null, "");
        }

        var source = _sources.FirstOrDefault(s => taskId.StartsWith(s.Prefix, StringComparison.Ordinal) && taskId.Length > s.Prefix.Length);
        return source is null ? (null, "") : (source, taskId[source.Prefix.Length..]);
    }
}
