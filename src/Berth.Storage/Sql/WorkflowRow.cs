using Berth.Core.Workflows;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>workflows</c> as Dapper reads it.</summary>
internal sealed class WorkflowRow
{
    public const string Columns =
        "name AS Name, spec AS Spec, generation AS Generation, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public string Name { get; init; } = "";

    public string Spec { get; init; } = "";

    public long Generation { get; init; }

    public string CreatedAt { get; init; } = "";

    public string UpdatedAt { get; init; } = "";

    public WorkflowRecord ToRecord()
    {
        var owner = $"Workflow '{Name}'";
        var spec = StoredJson.Deserialize<WorkflowSpec>(Spec, owner, "spec");
        if (!string.Equals(spec.Name, Name, StringComparison.Ordinal))
        {
            throw new StoredDataException($"{owner} cannot be read: its spec names another workflow, '{spec.Name}'. Apply the workflow again.");
        }

        return new WorkflowRecord
        {
            Name = Name,
            Spec = spec,
            Generation = Generation,
            CreatedAt = StoredJson.Time(CreatedAt, owner, "created_at"),
            UpdatedAt = StoredJson.Time(UpdatedAt, owner, "updated_at"),
        };
    }
}
