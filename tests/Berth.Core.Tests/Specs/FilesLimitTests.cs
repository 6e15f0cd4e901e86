using System.Text;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>A spec with far more files than allowed is refused once, naming the limit, without checking (or reporting) each entry.</summary>
public sealed class FilesLimitTests
{
    private const int Entries = 100_000;

    // Every entry is wrong on its own (relative in a container agent), so an entry that is still checked shows up as an error.
    private static string ManyRelativeFiles()
    {
        var text = new StringBuilder(SpecTestData.Agent("many", "image: local/echo:1", "files:"));
        for (var i = 0; i < Entries; i++)
        {
            text.Append("    run/f").Append(i).Append(": x\n");
        }

        return text.ToString();
    }

    [Fact]
    public void Read_HundredThousandFiles_IsOneErrorNamingTheLimitAndTheCount()
    {
        var set = SpecTestData.Read(ManyRelativeFiles());

        var error = set.Errors.ShouldHaveSingleItem(string.Join(" | ", set.Errors.Take(3)));
        error.Path.ShouldBe("spec.files");
        error.Message.ShouldContain($"{Entries} files; at most {AgentSpecValidator.MaximumFiles} are allowed");
        error.Line.ShouldBe(8);
        set.Agents.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_HundredThousandFilesFromJson_IsOneErrorNamingTheLimit()
    {
        var files = Enumerable.Range(0, Entries).ToDictionary(i => $"run/f{i}", _ => "x");

        var errors = AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Files = files });

        var error = errors.ShouldHaveSingleItem(string.Join(" | ", errors.Take(3)));
        error.Path.ShouldBe("spec.files");
        error.Message.ShouldContain($"at most {AgentSpecValidator.MaximumFiles} are allowed");
    }

    [Fact]
    public void Validate_FileInsideAnotherFileAtTheLimit_IsStillFound()
    {
        var files = Enumerable.Range(0, AgentSpecValidator.MaximumFiles - 1).ToDictionary(i => $"/run/f{i}", _ => "x");
        files["/run/f3/inner"] = "y";

        var errors = AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Files = files });

        errors.ShouldHaveSingleItem().Message.ShouldBe("'/run/f3' is a file, so nothing can be inside it; choose another path");
    }
}
