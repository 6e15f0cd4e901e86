using Berth.Core.Runtime;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;

namespace Berth.Runtime.Docker.Steps;

/// <summary>Turns engine failures into step failures with the class retries decide by.</summary>
internal static class StepEngineErrors
{
    /// <summary>Unreachable engine and 5xx/409 answers may pass on retry; other 4xx answers mean the step cannot run as written.</summary>
    public static StepRunException From(DockerEngineException ex) =>
        new(ex.Kind == RuntimeErrorKind.Config ? ErrorClass.Config : ErrorClass.Transient, ex.Message, ex);

    /// <summary>The engine broke a stream off (it restarted, or the connection dropped).</summary>
    public static StepRunException StreamBroken(string what, Exception ex) =>
        new(ErrorClass.Transient, $"the Docker engine broke off while {what}: {ex.Message}; the attempt can run again", ex);

    public static StepRunException Gone(string containerId, Exception? inner = null) =>
        new(ErrorClass.Transient, $"step container '{containerId}' no longer exists (removed outside Berth, or the engine lost it); the attempt must run again", inner);
}
