using Berth.Testing;
using System.Text.RegularExpressions;
using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Hosting;

public sealed partial class ConfigurationTests(ConfiguredServerFixture fixture) : IClassFixture<ConfiguredServerFixture>
{
    public static TheoryData<string> Keys => new(ConfiguredServerFixture.Settings.Select(s => s.Key));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Setting_SetThroughConfiguration_IsWhatTheServerUses(string key)
    {
        var setting = ConfiguredServerFixture.Settings.Single(s => s.Key == key);

        var used = ConfiguredServerFixture.Display(setting.Read(fixture.Services));

        used.ShouldBe(setting.Expected, $"--{key}={setting.Value} must reach the server's options");
    }

    [Fact]
    public void EverySettingTheDocsOrTheCodeName_IsSetThroughConfigurationByATest()
    {
        var tested = ConfiguredServerFixture.Settings.Select(s => s.Key).Concat(ConfiguredServerFixture.CoveredElsewhere.Keys).ToHashSet(StringComparer.Ordinal);
        var named = NamedSettings();

        var untested = named
            .Where(n => !tested.Contains(n.Key) && !tested.Any(t => t.StartsWith(n.Key + ":", StringComparison.Ordinal)))
            .Select(n => $"{n.Key} (named in {n.Value})")
            .ToList();

        named.Count.ShouldBeGreaterThan(30, "the scan of docs/ and src/ found too few settings to be looking in the right place");
        untested.ShouldBeEmpty("every setting the docs or a message name must be settable; add it to ConfiguredServerFixture.Settings");
    }

    // Berth:Key is the docs' placeholder for any key (--Berth:Key=value).
    private static Dictionary<string, string> NamedSettings()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md")
            .Append(Path.Combine(Repository.Root, "README.md"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)));
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match match in SettingKey().Matches(File.ReadAllText(file)))
            {
                if (match.Value != "Berth:Key")
                {
                    named.TryAdd(match.Value, Path.GetRelativePath(Repository.Root, file));
                }
            }
        }

        return named;
    }

    [GeneratedRegex(@"\bBerth(?::[A-Z][A-Za-z]*)+")]
    private static partial Regex SettingKey();
}
