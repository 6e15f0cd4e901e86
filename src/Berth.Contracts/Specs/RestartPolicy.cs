namespace Berth.Core.Specs;

/// <summary>Which exits lead to a restart.</summary>
public enum RestartPolicy
{
    /// <summary>Restart after every exit.</summary>
    Always,

    /// <summary>Restart only after a non-zero exit code.</summary>
    OnFailure,

    /// <summary>Never restart; an exited instance stays exited.</summary>
    Never,
}
