using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class FilesSpecTests
{
    private static SpecSet ReadContainerFiles(params string[] lines) =>
        SpecTestData.Read(SpecTestData.Agent("files", ["image: local/echo:1", "files:", .. lines.Select(l => "  " + l)]));

    private static SpecSet ReadProcessFiles(params string[] lines) =>
        SpecTestData.Read(SpecTestData.Agent("files", ["process: { command: /bin/true }", "files:", .. lines.Select(l => "  " + l)]));

    [Fact]
    public void Read_ContainerFiles_KeepsPathsAndContentWithReferencesUntouched()
    {
        var spec = ReadContainerFiles("/run/secrets/api: \"${secret:api}\"", "/etc/app/conf.json: '{\"mode\": \"fast\"}'").ShouldBeSingleValidAgent();

        spec.Files.ShouldBe(new Dictionary<string, string> { ["/run/secrets/api"] = "${secret:api}", ["/etc/app/conf.json"] = "{\"mode\": \"fast\"}" });
        SecretReference.FindAll(spec).ShouldBe(["api"]);
    }

    [Fact]
    public void Read_ProcessFiles_TakesRelativePaths() =>
        ReadProcessFiles("keys/api: \"${secret:api}\"").ShouldBeSingleValidAgent().Files.Keys.ShouldBe(["keys/api"]);

    [Theory]
    [InlineData("run/secrets/api", "'run/secrets/api' is relative; a container agent's files need an absolute path inside the container, like /run/secrets/api-key")]
    [InlineData("/run/../etc/passwd", "'/run/../etc/passwd' has an empty, '.' or '..' part; expected an absolute path inside the container, like /run/secrets/api-key")]
    [InlineData("/run//api", "'/run//api' has an empty, '.' or '..' part; expected an absolute path inside the container, like /run/secrets/api-key")]
    [InlineData("/", "'/' has an empty, '.' or '..' part; expected an absolute path inside the container, like /run/secrets/api-key")]
    [InlineData("/proc/self/environ", "'/proc/self/environ' is under /proc, /sys, /dev, which belong to the kernel; choose another path")]
    [InlineData("/dev", "'/dev' is under /proc, /sys, /dev, which belong to the kernel; choose another path")]
    public void Validate_BadContainerPath_NamesTheEntryAndWhatIsExpected(string path, string message) =>
        ReadContainerFiles($"\"{path}\": x").ShouldHaveOneError($"spec.files['{path}']").Message.ShouldBe(message);

    [Theory]
    [InlineData("/etc/api", "'/etc/api' is absolute; a process agent's files go in its own folder, so expected a path relative to BERTH_FILES_DIR, like api-key or conf/app.json")]
    [InlineData("../escape", "'../escape' has an empty, '.' or '..' part; expected a path relative to BERTH_FILES_DIR, like api-key or conf/app.json")]
    [InlineData("conf/./x", "'conf/./x' has an empty, '.' or '..' part; expected a path relative to BERTH_FILES_DIR, like api-key or conf/app.json")]
    public void Validate_BadProcessPath_NamesTheEntryAndWhatIsExpected(string path, string message) =>
        ReadProcessFiles($"\"{path}\": x").ShouldHaveOneError($"spec.files['{path}']").Message.ShouldBe(message);

    [Fact]
    public void Validate_FileInsideAnotherFile_IsRefused() =>
        ReadContainerFiles("/run/a: x", "/run/a/b: y").ShouldHaveOneError("spec.files['/run/a/b']").Message
            .ShouldBe("'/run/a' is a file, so nothing can be inside it; choose another path");

    [Fact]
    public void Validate_FileAtAVolumeTarget_IsRefused()
    {
        var spec = SpecTestData.ValidContainer() with
        {
            Volumes = [new VolumeSpec { Source = "data", Target = "/data/" }],
            Files = new Dictionary<string, string> { ["/data"] = "x" },
        };

        AgentSpecValidator.Validate(spec).ShouldHaveSingleItem().ShouldBe(new SpecError("spec.files['/data']", "a volume is mounted at the same path; choose another path"));
    }

    [Fact]
    public void Validate_MalformedReferenceInContent_IsReported() =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Files = new Dictionary<string, string> { ["/run/api"] = "${secret:bad name}" } })
            .ShouldHaveSingleItem().ShouldSatisfyAllConditions(
                e => e.Path.ShouldBe("spec.files['/run/api']"),
                e => e.Message.ShouldStartWith("'${secret:bad name' is not a valid secret reference"));

    [Fact]
    public void Validate_TooManyFiles_IsReported()
    {
        var files = Enumerable.Range(0, AgentSpecValidator.MaximumFiles + 1).ToDictionary(i => $"/run/f{i}", _ => "x");

        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Files = files }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.files", "65 files; at most 64 are allowed (the limit on files entries); put more content in fewer files or mount a volume"));
    }

    [Fact]
    public void Read_BadPath_ReportsTheLineOfTheEntry()
    {
        var error = ReadContainerFiles("/ok: x", "relative: y").ShouldHaveOneError("spec.files['relative']");

        error.Line.ShouldBe(9);
        error.Column.ShouldBe(5);
    }

    [Fact]
    public void Write_FilesWithMultilineContent_RoundTrips()
    {
        var spec = SpecTestData.ValidContainer("files") with
        {
            Files = new Dictionary<string, string> { ["/etc/app/conf.yaml"] = "a: 1\nb: \"two\"\n", ["/run/secrets/api"] = "${secret:api}" },
        };

        var read = SpecTestData.Read(SpecWriter.ToYaml(spec)).ShouldBeSingleValidAgent();

        read.Files.ShouldBe(spec.Files);
    }
}
