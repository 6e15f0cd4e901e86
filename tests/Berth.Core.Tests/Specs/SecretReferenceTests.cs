using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SecretReferenceTests
{
    [Fact]
    public void FindAll_EnvValues_ReturnsDistinctNamesInOrder()
    {
        var spec = SpecTestData.ValidContainer() with
        {
            Env = new Dictionary<string, string>
            {
                ["A"] = "${secret:openai}",
                ["B"] = "user=${secret:db.user} pass=${secret:db_pass-2}",
                ["C"] = "${secret:openai}",
                ["D"] = "${secret:bad name} ${NOT_A_SECRET}",
            },
        };

        SecretReference.FindAll(spec).ShouldBe(["openai", "db.user", "db_pass-2"]);
    }

    [Fact]
    public void FindAll_NoReferences_IsEmpty() =>
        SecretReference.FindAll(SpecTestData.ValidContainer() with { Args = ["${secret:ignored}"] }).ShouldBeEmpty();

    [Theory]
    [InlineData("openai", true)]
    [InlineData("A.b_c-1", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData(null, false)]
    public void IsValidName_Name_MatchesRule(string? name, bool expected) =>
        SecretReference.IsValidName(name).ShouldBe(expected);
}
