using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class VolumeSafetyTests
{
    private static IReadOnlyList<SpecError> ValidateSource(string source, SpecValidationContext? context = null) =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Volumes = [new VolumeSpec { Source = source, Target = "/mnt" }] }, "spec", context);

    private static SpecError SourceError(string source, SpecValidationContext? context = null)
    {
        var error = ValidateSource(source, context).ShouldHaveSingleItem();
        error.Path.ShouldBe("spec.volumes[0].source");
        return error;
    }

    [Fact]
    public void Validate_DockerSocket_SaysItGivesControlOfTheEngine() =>
        SourceError("/var/run/docker.sock").Message
            .ShouldBe("mounting /var/run/docker.sock would give the agent control of the Docker engine; it is never allowed");

    [Theory]
    [InlineData("/run/docker.sock")]
    [InlineData("/srv/engine/docker.sock")]
    [InlineData("/home/me/.docker/desktop/docker.sock")]
    [InlineData("/var/run//docker.sock/")]
    [InlineData("/var/./run/docker.sock")]
    public void Validate_AnyDockerSocketPath_IsRefused(string source) =>
        SourceError(source).Message.ShouldContain("control of the Docker engine");

    [Theory]
    [InlineData("/run/podman/podman.sock")]
    [InlineData("/run/user/1000/podman/podman.sock")]
    public void Validate_PodmanSocket_IsRefused(string source) =>
        SourceError(source).Message.ShouldContain("control of the Podman engine");

    [Theory]
    [InlineData("/var")]
    [InlineData("/var/run")]
    [InlineData("/run")]
    public void Validate_DirectoryHoldingTheEngineSocket_IsRefusedAsTooWide(string source) =>
        SourceError(source).Message.ShouldContain($"mounting {source} would also mount");

    [Theory]
    [InlineData("/", "whole host filesystem")]
    [InlineData("//", "whole host filesystem")]
    [InlineData("/etc", "system configuration")]
    [InlineData("/etc/", "system configuration")]
    [InlineData("/etc/ssl/private", "system configuration (it is inside /etc)")]
    [InlineData("/proc", "processes and kernel")]
    [InlineData("/proc/1/root", "processes and kernel")]
    [InlineData("/sys", "kernel and device settings")]
    [InlineData("/sys/fs/cgroup", "kernel and device settings")]
    [InlineData("/dev", "devices")]
    [InlineData("/dev/sda", "devices")]
    [InlineData("/boot", "boot files")]
    [InlineData("/root", "root user")]
    [InlineData("/root/.ssh", "root user")]
    [InlineData("/var/lib/docker/volumes", "Docker engine's own storage")]
    [InlineData("/var/lib/containerd", "containerd's own storage")]
    [InlineData("/run/docker", "runtime state")]
    [InlineData("/run/docker/containerd/containerd.sock", "runtime state (the sockets of the container engine, containerd and system services) (it is inside /run)")]
    [InlineData("/var/run/anything", "(it is inside /var/run)")]
    [InlineData("/usr", "programs and libraries")]
    [InlineData("/usr/bin", "programs and libraries (and let a writable mount change them) (it is inside /usr)")]
    [InlineData("/bin", "programs and libraries")]
    [InlineData("/sbin/", "programs and libraries")]
    [InlineData("/lib", "programs and libraries")]
    [InlineData("/lib64", "programs and libraries")]
    [InlineData("/lib/x86_64-linux-gnu", "programs and libraries (and let a writable mount change them) (it is inside /lib)")]
    public void Validate_SystemPath_IsRefusedSayingWhatItExposes(string source, string exposes)
    {
        var message = SourceError(source).Message;

        message.ShouldContain(exposes);
        message.ShouldEndWith("it is never allowed");
    }

    [Theory]
    [InlineData("/etcetera")]
    [InlineData("/srv/etc")]
    [InlineData("/srv/data")]
    [InlineData("/var/lib/app")]
    [InlineData("/home/me/projects")]
    [InlineData("/tmp/x")]
    [InlineData("/devices")]
    [InlineData("/rooted")]
    public void Validate_OrdinaryHostPath_IsAccepted(string source) =>
        ValidateSource(source).ShouldBeEmpty();

    [Theory]
    [InlineData("/srv/../etc")]
    [InlineData("/srv/data/..")]
    [InlineData("/..")]
    public void Validate_DotDotSegment_IsRefusedNotResolved(string source) =>
        SourceError(source).Message.ShouldContain("contains '..'");

    [Theory]
    [InlineData("./data")]
    [InlineData("../data")]
    [InlineData("data/sub")]
    [InlineData("~/data")]
    [InlineData(".")]
    public void Validate_RelativeHostPath_IsRefused(string source) =>
        SourceError(source).Message.ShouldContain("relative host path; expected an absolute host path");

    [Fact]
    public void Validate_NamedVolume_IsStillAccepted() =>
        ValidateSource("data").ShouldBeEmpty();

    [Fact]
    public void Validate_DataDirectoryOrInsideIt_IsRefusedWhenTheContextNamesIt()
    {
        var context = SpecValidationContext.ForDataDirectory("/srv/berth-data/");

        SourceError("/srv/berth-data", context).Message.ShouldBe(
            "mounting /srv/berth-data would expose Berth's data directory (tokens, secrets key and database); it is never allowed");
        SourceError("/srv/berth-data/secrets", context).Message.ShouldContain("(it is inside /srv/berth-data)");
        SourceError("/srv", context).Message.ShouldContain("would also mount /srv/berth-data");
        ValidateSource("/srv/berth-data-other", context).ShouldBeEmpty();
        ValidateSource("/srv/berth-data").ShouldBeEmpty();
    }

    [Fact]
    public void Validate_OtherProtectedPath_UsesItsDescription()
    {
        var context = new SpecValidationContext { ProtectedHostPaths = [new ProtectedHostPath("/opt/keys", "the signing keys")] };

        SourceError("/opt/keys/a", context).Message.ShouldStartWith("mounting /opt/keys/a would expose the signing keys");
    }

    [Fact]
    public void Validate_ManyBadVolumes_ReportsEachAtItsIndex()
    {
        var spec = SpecTestData.ValidContainer() with
        {
            Volumes =
            [
                new VolumeSpec { Source = "/srv/ok", Target = "/a" },
                new VolumeSpec { Source = "/etc", Target = "/b" },
                new VolumeSpec { Source = "/var/run/docker.sock", Target = "/c" },
            ],
        };

        AgentSpecValidator.Validate(spec).Select(e => e.Path).ShouldBe(["spec.volumes[1].source", "spec.volumes[2].source"]);
    }

    [Fact]
    public void Read_DockerSocketVolume_IsAnErrorWithLine()
    {
        var text = SpecTestData.Agent("echo", "image: local/echo:1", "volumes:", "  - /srv/ok:/ok", "  - /var/run/docker.sock:/var/run/docker.sock");

        var error = SpecTestData.Read(text).ShouldHaveOneError("spec.volumes[1].source");

        error.Line.ShouldBe(9);
        error.Message.ShouldContain("control of the Docker engine");
    }

    [Theory]
    [InlineData("/a//b/./c/", "/a/b/c")]
    [InlineData("/", "/")]
    [InlineData("///", "/")]
    public void TryNormalize_AbsolutePath_RemovesEmptyAndDotSegments(string path, string expected)
    {
        HostPathPolicy.TryNormalize(path, out var normalized).ShouldBeTrue();
        normalized.ShouldBe(expected);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("/a/../b")]
    [InlineData("")]
    public void TryNormalize_RelativeOrDotDot_Fails(string path) =>
        HostPathPolicy.TryNormalize(path, out _).ShouldBeFalse();
}
