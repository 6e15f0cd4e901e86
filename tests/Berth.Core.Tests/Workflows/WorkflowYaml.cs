namespace Berth.Core.Tests.Workflows;

internal static class WorkflowYaml
{
    public const string WordStats = """
        apiVersion: berth/v1
        kind: Workflow
        metadata: { name: word-stats }
        spec:
          inputs:
            text: { type: string, required: true }
          concurrency: 4
          steps:
            - id: split
              container:
                image: local/busybox:1
                command: ["sh", "-c", "tr -s ' ' '\\n' < /in/text.txt | sort > /out/words.txt"]
                files:
                  /in/text.txt: ${{ inputs.text }}
                outputs: [/out]
            - id: count
              container:
                image: local/busybox:1
                command: ["sh", "-c", "wc -l < /in/words.txt"]
                files:
                  /in/words.txt: ${{ steps.split.files['/out/words.txt'] }}
            - id: summarize
              agent: { name: summarizer, method: POST, path: /summarize, body: { words: "${{ steps.count.stdout }}" } }
              retry: { maxAttempts: 3, backoff: exponential, initialDelay: 1s, on: [transient, timeout] }
              timeout: 30s
        """;

    /// <summary>A workflow document with <paramref name="steps"/> (YAML list items, indented by 4) and <paramref name="inputs"/> (indented by 4).</summary>
    public static string With(string steps, string inputs = "") => $$"""
        apiVersion: berth/v1
        kind: Workflow
        metadata: { name: wf }
        spec:
          inputs:
        {{inputs}}
          steps:
        {{steps}}
        """;
}
