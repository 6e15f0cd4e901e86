using System.Threading.Channels;
using Berth.Server.Agents;
using Berth.Server.Workflows;
using Berth.Server.Workflows.Engine;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// The resources one client watches (at most <see cref="MaxUris"/>) and the notifications it is owed. Listens to Berth's
/// in-process change signals (<see cref="AgentChanges"/>, <see cref="WorkflowChanges"/>, <see cref="RunEventHub"/>), marks a
/// watched URI changed without blocking the writer, and <see cref="RunAsync"/> sends each marked URI once however many
/// changes it saw meanwhile (a burst of instance updates is one notification). Disposing stops listening, so a watch leaves
/// nothing behind when its session or stream ends.
/// </summary>
internal sealed class ResourceWatch : IDisposable
{
    public const int MaxUris = 100;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _uris = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly AgentChanges _agents;
    private readonly WorkflowChanges _workflows;
    private readonly RunEventHub _runs;
    private readonly HashSet<string> _pendingLists = new(StringComparer.Ordinal);
    private readonly bool _notifyListChanged;

    public ResourceWatch(AgentChanges agents, WorkflowChanges workflows, RunEventHub runs, bool notifyListChanged)
    {
        (_agents, _workflows, _runs, _notifyListChanged) = (agents, workflows, runs, notifyListChanged);
        _agents.Changed += OnAgentChanged;
        _workflows.Changed += OnWorkflowChanged;
        _runs.Published += OnRunChanged;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _uris.Count;
            }
        }
    }

    /// <summary>Watches <paramref name="uri"/>; false when <see cref="MaxUris"/> are watched already (watching one again is no change).</summary>
    public bool TryAdd(string uri)
    {
        lock (_lock)
        {
            return _uris.Contains(uri) || (_uris.Count < MaxUris && _uris.Add(uri));
        }
    }

    public void Remove(string uri)
    {
        lock (_lock)
        {
            _uris.Remove(uri);
            _pending.Remove(uri);
        }
    }

    /// <summary>Owes the client a <c>*/list_changed</c> notification (<paramref name="method"/>), for lists other than resources.</summary>
    public void ListChanged(string method)
    {
        lock (_lock)
        {
            if (!_pendingLists.Add(method))
            {
                return;
            }
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Sends what changed until cancelled: <paramref name="listChanged"/> with the method of each list that changed
    /// (<c>notifications/resources/list_changed</c> when resources were added or removed, if this watch was asked for that),
    /// then <paramref name="updated"/> for each changed URI. A send that fails (the client's stream is gone) is dropped: the
    /// client reads the resource again when it reconnects.
    /// </summary>
    public async Task RunAsync(Func<string, CancellationToken, Task> updated, Func<string, CancellationToken, Task> listChanged, CancellationToken cancellationToken)
    {
        await foreach (var _ in _wake.Reader.ReadAllAsync(cancellationToken))
        {
            string[] uris;
            string[] lists;
            lock (_lock)
            {
                uris = [.. _pending];
                _pending.Clear();
                lists = [.. _pendingLists];
                _pendingLists.Clear();
            }

            foreach (var method in lists)
            {
                await TrySendAsync(ct => listChanged(method, ct), cancellationToken);
            }

            foreach (var uri in uris)
            {
                await TrySendAsync(ct => updated(uri, ct), cancellationToken);
            }
        }
    }

    public void Dispose()
    {
        _agents.Changed -= OnAgentChanged;
        _workflows.Changed -= OnWorkflowChanged;
        _runs.Published -= OnRunChanged;
        _wake.Writer.TryComplete();
    }

    private void OnAgentChanged(string name, bool listChanged)
    {
        // Plugin pools are agents to the reconciler only: no resource names them.
        if (!Plugins.PluginPoolNames.IsPluginAgent(name))
        {
            Mark(BerthResourceUri.Agent(name), listChanged);
        }
    }

    private void OnWorkflowChanged(string name, bool listChanged) => Mark(BerthResourceUri.Workflow(name), listChanged);

    private void OnRunChanged(string id) => Mark(BerthResourceUri.Run(id), listChanged: false);

    private void Mark(string uri, bool listChanged)
    {
        lock (_lock)
        {
            var marked = _uris.Contains(uri) && _pending.Add(uri);
            if (listChanged && _notifyListChanged && _pendingLists.Add(NotificationMethods.ResourceListChangedNotification))
            {
                marked = true;
            }

            if (!marked)
            {
                return;
            }
        }

        _wake.Writer.TryWrite(true);
    }

    private static async Task TrySendAsync(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        try
        {
            await send(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The client's stream is gone or refused the message; the next change tries again.
        }
    }
}
