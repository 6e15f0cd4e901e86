using System.Text;
using Berth.Core.Specs;

namespace Berth.Client.Errors;

/// <summary>The server answered with an error (an RFC 7807 problem); <see cref="Errors"/> lists every validation error it reported.</summary>
public sealed class BerthApiException : Exception
{
    /// <summary>Creates the exception from the parts of a problem document.</summary>
    public BerthApiException(int status, string title, string? detail = null, string? type = null, IReadOnlyList<SpecError>? errors = null)
        : base(FormatMessage(status, title, detail, errors ?? []))
    {
        Status = status;
        Title = title;
        Detail = detail;
        Type = type;
        Errors = errors ?? [];
    }

    /// <summary>HTTP status code: 400 invalid, 401 no valid token, 403 role not allowed, 404 unknown agent, 409 conflict, 5xx server failure.</summary>
    public int Status { get; }

    /// <summary>Short summary of the problem class.</summary>
    public string Title { get; }

    /// <summary>What went wrong in this case, or null when the server said nothing more.</summary>
    public string? Detail { get; }

    /// <summary>Stable URI or name identifying the problem class, or null.</summary>
    public string? Type { get; }

    /// <summary>Validation errors (for 400 answers), each with its path and, for YAML input, line and column. Empty otherwise.</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    /// <summary>True when the server does not know the resource (404).</summary>
    public bool IsNotFound => Status == 404;

    /// <summary>True when the request carried no token the server accepts (401).</summary>
    public bool IsUnauthorized => Status == 401;

    /// <summary>True when the token is valid but its role may not do this (403).</summary>
    public bool IsForbidden => Status == 403;

    private static string FormatMessage(int status, string title, string? detail, IReadOnlyList<SpecError> errors)
    {
        var builder = new StringBuilder().Append(title).Append(" (HTTP ").Append(status).Append(')');
        if (!string.IsNullOrWhiteSpace(detail))
        {
            builder.Append(": ").Append(detail);
        }

        foreach (var error in errors)
        {
            builder.AppendLine().Append("  ").Append(error);
        }

        return builder.ToString();
    }
}
