namespace Berth.Server.Workflows.Engine;

/// <summary>What asking to cancel a run did.</summary>
internal enum CancelOutcome
{
    /// <summary>The run executes here; its steps are being stopped and it stores itself cancelled.</summary>
    Cancelling,

    /// <summary>The run was not executing; it is stored cancelled.</summary>
    Cancelled,

    /// <summary>The run had already finished; nothing changed.</summary>
    AlreadyFinished,

    /// <summary>There is no such run.</summary>
    NotFound,
}
