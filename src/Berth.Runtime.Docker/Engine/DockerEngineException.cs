using System.Net;
using Berth.Core.Runtime;

namespace Berth.Runtime.Docker.Engine;

/// <summary>A failed Docker Engine API call, with the HTTP status and the engine's own message.</summary>
public sealed class DockerEngineException : RuntimeException
{
    /// <summary>Creates the exception.</summary>
    public DockerEngineException(
        string message,
        RuntimeErrorKind kind,
        HttpStatusCode? statusCode = null,
        string? engineMessage = null,
        Exception? innerException = null)
        : base(message, kind, innerException)
    {
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    /// <summary>The HTTP status the engine answered with; null when it could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The engine's <c>message</c> field, when it sent one.</summary>
    public string? EngineMessage { get; }

    /// <summary>True when the engine answered 404 (no such container, image, network or exec).</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>True when the engine answered 409 (name in use, container running, and similar).</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>Classifies an engine answer: 5xx and 409 may pass on retry, other 4xx need a fix first.</summary>
    public static RuntimeErrorKind KindFor(HttpStatusCode status) => status switch
    {
        >= HttpStatusCode.InternalServerError => RuntimeErrorKind.Transient,
        HttpStatusCode.Conflict or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => RuntimeErrorKind.Transient,
        _ => RuntimeErrorKind.Config,
    };
}
