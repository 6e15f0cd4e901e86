using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Tasks;

/// <summary>A tool call's answer when it became a task: the task's fields, flat.</summary>
internal sealed class CreateTaskResult : Result
{
    [JsonPropertyName("taskId")]
    public required string TaskId { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("statusMessage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StatusMessage { get; init; }

    [JsonPropertyName("createdAt")]
    public required string CreatedAt { get; init; }

    [JsonPropertyName("lastUpdatedAt")]
    public required string LastUpdatedAt { get; init; }

    /// <summary>Always written, null: the task lives as long as its run.</summary>
    [JsonPropertyName("ttlMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? TtlMs { get; init; }

    [JsonPropertyName("pollIntervalMs")]
    public int PollIntervalMs { get; init; }
}

/// <summary>Source-generated contract of <see cref="CreateTaskResult"/>, handed to the SDK with the alternate result.</summary>
[JsonSerializable(typeof(CreateTaskResult))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class TaskJsonContext : JsonSerializerContext;
