using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Berth.Client.Exec;
using Berth.Client.Errors;

namespace Berth.Client;

/// <summary>The exec route: a command in a running instance of a container agent, over a WebSocket.</summary>
public sealed partial class BerthClient
{
    /// <summary>
    /// Starts <see cref="ExecOptions.Command"/> in a running instance of <paramref name="agent"/> and returns the open session. A
    /// refusal (unknown agent or instance, a process agent, a viewer's token) is a <see cref="BerthApiException"/> as for any route.
    /// </summary>
    public async Task<ExecConnection> OpenExecAsync(string agent, ExecOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = ExecPath(agent, options);
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (Token is { } token)
        {
            socket.Options.SetRequestHeader("Authorization", new AuthenticationHeaderValue("Bearer", token).ToString());
        }

        var http = new Uri(BaseAddress, path);
        var address = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(address, _http, cancellationToken);
            return new ExecConnection(socket);
        }
        catch (WebSocketException) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            socket.Dispose();

            // The upgrade was refused with a problem the socket API does not expose: the same request without the upgrade is
            // checked the same way and answers the problem as a body (a read, it starts nothing).
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode == socket.HttpStatusCode)
            {
                throw await ProblemReader.ReadAsync(response, cancellationToken);
            }

            // refused at a later step (the engine would not start it): the status is all there is
            throw new BerthApiException((int)socket.HttpStatusCode, "Exec refused", $"The server refused to start the command (HTTP {(int)socket.HttpStatusCode}); see its log.");
        }
        catch (WebSocketException exception) when (exception.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } inner)
        {
            socket.Dispose();
            throw new BerthUnavailableException(BaseAddress, inner);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string ExecPath(string agent, ExecOptions options)
    {
        if (options.Command.Count == 0)
        {
            throw new ArgumentException("The command needs at least the program's name.", nameof(options));
        }

        var query = new List<string>(options.Command.Select(c => "cmd=" + Uri.EscapeDataString(c)));
        if (options.Instance is { } instance)
        {
            query.Add("instance=" + Uri.EscapeDataString(instance));
        }

        if (options.Tty)
        {
            query.Add("tty=true");
            if (options.Rows is { } rows && options.Columns is { } columns)
            {
                query.Add(string.Create(CultureInfo.InvariantCulture, $"rows={rows}&cols={columns}"));
            }
        }

        return $"{AgentPath(agent)}/exec?{string.Join('&', query)}";
    }
}
