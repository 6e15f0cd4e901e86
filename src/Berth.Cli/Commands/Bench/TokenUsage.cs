namespace Berth.Cli.Commands.Bench;

/// <summary>Tokens reported by answers that carried an OpenAI-style <c>usage</c> object (Anthropic's input/output tokens count too).</summary>
/// <param name="Responses">Answers that carried usage.</param>
/// <param name="PromptTokens">Average prompt (input) tokens per such answer.</param>
/// <param name="CompletionTokens">Average completion (output) tokens per such answer.</param>
/// <param name="TotalTokens">Average total tokens per such answer.</param>
/// <param name="TokensPerSecond">Every total token over the run's elapsed time.</param>
internal sealed record TokenUsage(int Responses, double PromptTokens, double CompletionTokens, double TotalTokens, double TokensPerSecond);
