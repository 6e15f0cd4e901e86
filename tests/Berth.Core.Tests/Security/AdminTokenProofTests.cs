using Berth.Core.Security;

namespace Berth.Core.Tests.Security;

public sealed class AdminTokenProofTests
{
    private const string Token = "berth_adminadminadminadminadminadminadminadminadm";

    [Fact]
    public void Verify_ProofFromTheTokensKeyForThatChallengeAndPort_IsAccepted()
    {
        var challenge = AdminTokenProof.NewChallenge();

        var proof = AdminTokenProof.Compute(AdminTokenProof.DeriveKey(Token), challenge, 2378);

        AdminTokenProof.Verify(Token, challenge, 2378, proof).ShouldBeTrue();
    }

    [Fact]
    public void Verify_OtherTokenPortOrChallengeOrNoProof_IsRefused()
    {
        var challenge = AdminTokenProof.NewChallenge();
        var proof = AdminTokenProof.Compute(AdminTokenProof.DeriveKey(Token), challenge, 2378);

        AdminTokenProof.Verify(Token + "x", challenge, 2378, proof).ShouldBeFalse("another token");
        AdminTokenProof.Verify(Token, challenge, 2379, proof).ShouldBeFalse("relayed from another port");
        AdminTokenProof.Verify(Token, AdminTokenProof.NewChallenge(), 2378, proof).ShouldBeFalse("replayed for another challenge");
        AdminTokenProof.Verify(Token, challenge, 2378, null).ShouldBeFalse("no proof");
        AdminTokenProof.Verify(Token, challenge, 2378, "").ShouldBeFalse("empty proof");
    }

    [Theory]
    [InlineData("short", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEF", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDE\n", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDE/", false)]
    public void IsValidChallenge_OnlyBase64UrlOfSaneLength(string challenge, bool valid) =>
        AdminTokenProof.IsValidChallenge(challenge).ShouldBe(valid);

    [Fact]
    public void NewChallenge_IsValidAndFresh()
    {
        var a = AdminTokenProof.NewChallenge();

        AdminTokenProof.IsValidChallenge(a).ShouldBeTrue();
        AdminTokenProof.NewChallenge().ShouldNotBe(a);
    }
}
