using System.Collections.Concurrent;
using Berth.Core.Specs;
using Berth.Server.Hosting;
using Berth.Server.Proxy;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// One MCP client session per agent instance (its endpoint and MCP path), opened on first use over the proxy's connection
/// pool and kept until the instance goes or the session ends (the agent restarted, or closed it). The caller's
/// <c>Authorization</c> never reaches the agent: these clients send no credentials of their own.
/// </summary>
internal sealed class GatewayClients : IAsyncDisposable
{
    // Initialize-era sessions, so an agent can tell the gateway that its tools changed on the session's GET stream.
    private const string ProtocolVersion = "2025-11-25";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<Uri, Lazy<Task<McpClient>>> _clients = new();
    private readonly HttpClient _http1;
    private readonly HttpClient _http2;
    private readonly ILoggerFactory _loggers;

    public GatewayClients(AgentConnections connections, ILoggerFactory loggers)
    {
        _loggers = loggers;
        _http1 = new HttpClient(connections.Handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var (version, policy) = AgentConnections.VersionOf(AgentProtocol.Http2);
        _http2 = new HttpClient(connections.Handler, disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = policy,
        };
    }

    /// <summary>Raised with the agent's name when one of its sessions says its tools changed.</summary>
    public event Action<string>? ToolsChanged;

    /// <summary>The MCP address of an instance: its endpoint's authority and the agent's MCP path.</summary>
    public static Uri Address(Uri endpoint, string mcpPath) => AgentConnections.TargetUri(endpoint.GetLeftPart(UriPartial.Authority), mcpPath);

    /// <summary>The open session to <paramref name="address"/>, opening one when there is none (or the last one ended).</summary>
    public async Task<McpClient> GetAsync(string agent, Uri address, AgentProtocol protocol, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = _clients.GetOrAdd(address, a =>
            {
                Lazy<Task<McpClient>>? created = null;
                created = new Lazy<Task<McpClient>>(() => ConnectAsync(agent, a, protocol, created!));
                return created;
            });
            McpClient client;
            try
            {
                client = await entry.Value.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _clients.TryRemove(KeyValuePair.Create(address, entry));
                throw;
            }

            if (!client.Completion.IsCompleted)
            {
                return client;
            }

            Drop(address, entry);
        }
    }

    /// <summary>Closes the session to <paramref name="address"/> (its instance went, or refused a call); the next use opens a new one.</summary>
    public void Drop(Uri address)
    {
        if (_clients.TryGetValue(address, out var entry))
        {
            Drop(address, entry);
        }
    }

    /// <summary>Closes every session whose address is not in <paramref name="live"/>.</summary>
    public void Retain(IReadOnlySet<Uri> live)
    {
        foreach (var address in _clients.Keys.Where(a => !live.Contains(a)))
        {
            Drop(address);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var address in _clients.Keys)
        {
            if (_clients.TryRemove(address, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
            {
                await entry.Value.Result.DisposeAsync();
            }
        }

        _http1.Dispose();
        _http2.Dispose();
    }

    private void Drop(Uri address, Lazy<Task<McpClient>> entry)
    {
        if (_clients.TryRemove(KeyValuePair.Create(address, entry)) && entry.IsValueCreated)
        {
            _ = entry.Value.ContinueWith(
                static t => t.IsCompletedSuccessfully ? t.Result.DisposeAsync().AsTask() : Task.CompletedTask,
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    // Not the caller's token: the session is shared, and one caller giving up must not fail the others waiting on it.
    private async Task<McpClient> ConnectAsync(string agent, Uri address, AgentProtocol protocol, Lazy<Task<McpClient>> entry)
    {
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = address, TransportMode = HttpTransportMode.StreamableHttp, Name = $"agent {agent}" },
            protocol == AgentProtocol.Http2 ? _http2 : _http1,
            _loggers,
            ownsHttpClient: false);
        var options = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "berth-gateway", Title = "Berth MCP gateway", Version = ServerVersion.Informational },
            ProtocolVersion = ProtocolVersion,
            Handlers = new McpClientHandlers
            {
                NotificationHandlers =
                [
                    new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                    {
                        ToolsChanged?.Invoke(agent);
                        return ValueTask.CompletedTask;
                    }),
                ],
            },
        };
        var client = await McpClient.CreateAsync(transport, options, _loggers, timeout.Token);
        _ = client.Completion.ContinueWith(_ => Drop(address, entry), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return client;
    }
}
