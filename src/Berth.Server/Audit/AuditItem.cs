using Berth.Core.Security;

namespace Berth.Server.Audit;

/// <summary>An entry of the <see cref="AuditLog"/> queue: a record to store, or a flush marker completed once everything before it is stored.</summary>
internal sealed record AuditItem(AuditRecord? Record, TaskCompletionSource? Flushed);
