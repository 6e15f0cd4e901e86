using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SecurityValidationTests
{
    private static IReadOnlyList<SpecError> Validate(SecuritySpec security) =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Security = security });

    private static SecuritySpec Adding(params string[] capabilities) =>
        new() { Capabilities = new CapabilitySpec { Add = capabilities } };

    [Fact]
    public void Validate_KnownCapabilitiesInAnyForm_AreAccepted() =>
        Validate(Adding("NET_BIND_SERVICE", "cap_chown", "Sys_Ptrace", "CAP_NET_RAW")).ShouldBeEmpty();

    [Fact]
    public void Validate_EveryListedCapability_IsAccepted() =>
        Validate(Adding([.. LinuxCapabilities.Names])).ShouldBeEmpty();

    [Theory]
    [InlineData("ALL")]
    [InlineData("all")]
    [InlineData("CAP_ALL")]
    public void Validate_AddAll_IsRefusedWithReason(string all)
    {
        var error = Validate(Adding("CHOWN", all)).ShouldHaveSingleItem();

        error.Path.ShouldBe("spec.security.capabilities.add[1]");
        error.Message.ShouldStartWith("adding ALL would give the agent every capability");
    }

    [Theory]
    [InlineData("NET_BIND_SERVIC", "did you mean 'NET_BIND_SERVICE'?")]
    [InlineData("CAP_SYSADMIN", "did you mean 'SYS_ADMIN'?")]
    [InlineData("root", "expected a name from capabilities(7)")]
    [InlineData("", "expected a name from capabilities(7)")]
    public void Validate_UnknownCapability_ReportsItWithHelp(string name, string help)
    {
        var error = Validate(Adding(name)).ShouldHaveSingleItem();

        error.Path.ShouldBe("spec.security.capabilities.add[0]");
        error.Message.ShouldStartWith($"'{name}' is not a Linux capability; ");
        error.Message.ShouldContain(help);
    }

    [Fact]
    public void Validate_SameCapabilityTwiceInDifferentForms_ReportsSecond() =>
        Validate(Adding("NET_RAW", "cap_net_raw")).ShouldHaveSingleItem().Path.ShouldBe("spec.security.capabilities.add[1]");

    [Theory]
    [InlineData("1000")]
    [InlineData("1000:1000")]
    [InlineData("nobody")]
    [InlineData("app-user:staff")]
    public void Validate_PlausibleUser_IsAccepted(string user) =>
        Validate(new SecuritySpec { RunAsUser = user }).ShouldBeEmpty();

    [Theory]
    [InlineData("")]
    [InlineData("10 00")]
    [InlineData("1000:")]
    [InlineData("a:b:c")]
    [InlineData("1000\n")]
    [InlineData("-u")]
    public void Validate_MalformedUser_ReportsRunAsUser(string user) =>
        Validate(new SecuritySpec { RunAsUser = user }).ShouldHaveSingleItem().Path.ShouldBe("spec.security.runAsUser");

    [Fact]
    public void Validate_SecurityOnProcessAgent_IsAnError()
    {
        var spec = new AgentSpec { Name = "p", Process = new ProcessSpec { Command = "sh" }, Security = new SecuritySpec() };

        var error = AgentSpecValidator.Validate(spec).ShouldHaveSingleItem();

        error.Path.ShouldBe("spec.security");
        error.Message.ShouldContain("only container agents");
    }

    [Theory]
    [InlineData("net_bind_service", "NET_BIND_SERVICE")]
    [InlineData(" CAP_Chown ", "CHOWN")]
    [InlineData("SYS_ADMIN", "SYS_ADMIN")]
    public void Normalize_CapabilityName_IsUpperCaseWithoutPrefix(string written, string expected) =>
        LinuxCapabilities.Normalize(written).ShouldBe(expected);
}
