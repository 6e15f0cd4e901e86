using Berth.Core.Plugins;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Plugins;

public sealed class PluginManifestReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("berth-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Valid = """
        apiVersion: berth/v1
        kind: Plugin
        metadata: { name: text-analysis }
        spec:
          version: 1.0.0
          runtime: process
          process: { command: ./bin/run, args: ["server.py"] }
        """;

    private void Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Read_PluginYaml_ResolvesPathsAgainstTheFolder()
    {
        Write("plugin.yaml", Valid);

        var manifest = PluginManifestReader.Read(_folder);

        manifest.Errors.ShouldBeEmpty();
        manifest.File.ShouldBe("plugin.yaml");
        manifest.Spec!.Name.ShouldBe("text-analysis");
        manifest.Spec.Process!.Command.ShouldBe(Path.Combine(_folder, "bin", "run"));
    }

    [Fact]
    public void Read_InvalidFields_ReportsEachWithItsPathInThePluginYaml()
    {
        Write("plugin.yaml", Valid.Replace("version: 1.0.0", "version: one", StringComparison.Ordinal).Replace("name: text-analysis", "name: Text_Analysis", StringComparison.Ordinal));

        var manifest = PluginManifestReader.Read(_folder);

        manifest.Spec.ShouldBeNull();
        manifest.Errors.Select(e => e.Path).ShouldBe(["plugin.yaml: metadata.name", "plugin.yaml: spec.version"], ignoreOrder: true);
    }

    [Fact]
    public void Read_VariableReference_IsAnErrorNotTheServersEnvironment()
    {
        Write("plugin.yaml", Valid.Replace("./bin/run", "${HOME}/run", StringComparison.Ordinal));

        PluginManifestReader.Read(_folder).IsValid.ShouldBeFalse("the server never substitutes from its own environment");
    }

    [Fact]
    public void Read_BuildContextLeavingTheFolder_IsRefused()
    {
        Write("plugin.yaml", """
            apiVersion: berth/v1
            kind: Plugin
            metadata: { name: escape }
            spec:
              version: 1.0.0
              container: { build: { context: ../.. } }
            """);

        var manifest = PluginManifestReader.Read(_folder);

        manifest.Errors.Single().Path.ShouldBe("plugin.yaml: spec.container.build.context");
        manifest.Errors.Single().Message.ShouldContain("leaves the plugin's folder");
    }

    [Fact]
    public void Read_MissingDockerfile_IsNamed()
    {
        Write("plugin.yaml", """
            apiVersion: berth/v1
            kind: Plugin
            metadata: { name: built }
            spec:
              version: 1.0.0
              container: { build: { context: . } }
            """);

        PluginManifestReader.Read(_folder).Errors.Single().Path.ShouldBe("plugin.yaml: spec.container.build.dockerfile");
    }

    [Fact]
    public void Read_NoManifest_SaysWhatToAdd()
    {
        PluginManifestReader.Read(_folder).Errors.Single().Message.ShouldContain("no plugin.yaml or manifest.json");
    }

    [Fact]
    public void Read_BothManifests_ReadsPluginYamlAndNotesTheOther()
    {
        Write("plugin.yaml", Valid);
        Write("manifest.json", "{ not even json");

        var manifest = PluginManifestReader.Read(_folder);

        manifest.IsValid.ShouldBeTrue();
        manifest.Notes.Single().ShouldContain("manifest.json beside it was ignored");
    }

    [Fact]
    public void Read_WorkflowDocument_IsNotAPlugin()
    {
        Write("plugin.yaml", "apiVersion: berth/v1\nkind: Workflow\nmetadata: { name: w }\nspec:\n  steps:\n    - id: a\n      container: { image: local/busybox:1, command: [true] }\n");

        PluginManifestReader.Read(_folder).Errors.ShouldContain(e => e.Message.Contains("kind: Plugin", StringComparison.Ordinal));
    }

    [Fact]
    public void Rebase_MovedFolder_PointsPathsIntoTheNewOne()
    {
        var spec = new PluginSpec { Runtime = PluginRuntime.Process, Process = new PluginProcessSpec { Command = "/old/x/bin/run" } };

        PluginManifestReader.Rebase(spec, "/old/x", "/new/y").Process!.Command.ShouldBe("/new/y/bin/run");
        PluginManifestReader.Rebase(spec with { Process = new PluginProcessSpec { Command = "/usr/bin/python3" } }, "/old/x", "/new/y").Process!.Command.ShouldBe("/usr/bin/python3");
    }
}
