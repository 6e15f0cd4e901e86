using Berth.Testing;
using System.Text.RegularExpressions;
using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Problems;

public sealed partial class ProblemTypesDocumentedTests
{
    [Fact]
    public void EveryProblemTypeTheServerAnswers_IsListedInApiDocs()
    {
        var inCode = TypesIn(SourceFiles());
        var documented = TypesIn([Path.Combine(Repository.Root, "docs", "api.md")]);

        inCode.Count.ShouldBeGreaterThan(10, "the scan of src/ found too few problem types to be looking in the right place");
        inCode.Keys.Except(documented.Keys).Select(t => $"{t} (in {inCode[t]})").ShouldBeEmpty("docs/api.md must list every problem type the server can answer");
    }

    [Fact]
    public void EveryProblemTypeApiDocsList_IsOneTheServerAnswers()
    {
        var inCode = TypesIn(SourceFiles());
        var documented = TypesIn([Path.Combine(Repository.Root, "docs", "api.md")]);

        documented.Keys.Except(inCode.Keys).ShouldBeEmpty("docs/api.md must not promise problem types the server never answers");
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    private static Dictionary<string, string> TypesIn(IEnumerable<string> files)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match match in ProblemType().Matches(File.ReadAllText(file)))
            {
                types.TryAdd(match.Value, Path.GetRelativePath(Repository.Root, file));
            }
        }

        return types;
    }

    [GeneratedRegex("urn:berth:problem:[a-z0-9-]+")]
    private static partial Regex ProblemType();
}
