using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Server.Hosting;

/// <summary>
/// The console log's format, from <c>Berth:LogFormat</c> (<c>--log-format</c>, <c>BERTH_LOG_FORMAT</c>): <c>text</c> (the default)
/// or <c>json</c>, one JSON object per line for a log shipper. Either way each line made inside a span carries its trace and span
/// ids (as a scope), so a log line leads to its trace.
/// </summary>
internal static class ConsoleLogFormat
{
    public const string Key = "Berth:LogFormat";

    public static void Configure(ILoggingBuilder logging, IConfiguration configuration)
    {
        var format = configuration[Key];
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "text":
                logging.AddSimpleConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                });
                break;
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
                break;
            default:
                throw new InvalidOperationException($"{Key} (--log-format) must be text or json; got '{format}'.");
        }
    }
}
