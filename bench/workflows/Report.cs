namespace Berth.Bench.Workflows;

/// <summary>Figures go to stdout, progress notes to stderr; the targets are collected and printed together at the end.</summary>
internal sealed class Report(TextWriter figures, TextWriter notes)
{
    private readonly List<string> _targets = [];

    public bool AnyFailed { get; private set; }

    public void Section(string title)
    {
        figures.WriteLine();
        figures.WriteLine(title);
    }

    public void Line(string text) => figures.WriteLine("  " + text);

    public void Note(string text) => notes.WriteLine("    " + text);

    public void Target(string what, string figure, string target, bool met) =>
        _targets.Add($"  {what,-48} {figure,-10} (target {target}: {(met ? "meets target" : "MISSES target")})");

    public void Failed(string part, string why)
    {
        AnyFailed = true;
        _targets.Add($"  {part}: FAILED: {why}");
        notes.WriteLine($"    {part}: FAILED: {why}");
    }

    public void Targets()
    {
        figures.WriteLine();
        figures.WriteLine("targets (architecture: container step overhead <= 10% over the same docker run; a fully cached 100-step workflow < 1 s):");
        foreach (var line in _targets)
        {
            figures.WriteLine(line);
        }

        if (Environment.ProcessorCount != 2)
        {
            figures.WriteLine($"  note: the targets are stated for 2 cores; this machine has {Environment.ProcessorCount}.");
        }
    }
}
