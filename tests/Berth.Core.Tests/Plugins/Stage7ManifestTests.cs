using System.Text.Json.Nodes;
using Berth.Core.Plugins;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Plugins;

public sealed class Stage7ManifestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("berth-stage7-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Manifest = """
        {
          "id": "word-count",
          "verb": "WC",
          "actionVerb": "COUNT_WORDS",
          "name": "Word count",
          "description": "Counts words.",
          "version": "1.2.0",
          "language": "container",
          "inputDefinitions": [
            { "name": "text", "type": "string", "required": true, "description": "The text" },
            { "name": "plan", "type": "plan", "required": false }
          ],
          "outputDefinitions": [ { "name": "count", "type": "number", "required": true } ],
          "container": {
            "dockerfile": "Dockerfile",
            "buildContext": "./",
            "image": "stage7/word-count:1.2.0",
            "ports": [ { "container": 8080, "host": 0 }, { "container": 9090 } ],
            "environment": { "MODE": "fast" },
            "resources": { "memory": "256m", "cpu": 0.5 },
            "healthCheck": { "path": "/health", "interval": 5, "timeout": "2s", "retries": 2 }
          },
          "api": { "endpoint": "/execute", "method": "post", "timeout": 45000 },
          "security": { "permissions": [] }
        }
        """;

    [Fact]
    public void Read_Stage7Manifest_ConvertsEveryFieldWithANote()
    {
        File.WriteAllText(Path.Combine(_folder, "manifest.json"), Manifest);
        File.WriteAllText(Path.Combine(_folder, "Dockerfile"), "FROM local/busybox:1\n");

        var manifest = PluginManifestReader.Read(_folder);

        manifest.Errors.ShouldBeEmpty();
        manifest.File.ShouldBe("manifest.json");
        var spec = manifest.Spec!;
        spec.Name.ShouldBe("word-count");
        spec.Version.ShouldBe("1.2.0");
        spec.Verb.ShouldBe("COUNT_WORDS");
        spec.Runtime.ShouldBe(PluginRuntime.Container);
        spec.Container!.Image.ShouldBeNull();
        spec.Container.Build!.Context.ShouldBe(_folder);
        spec.Container.Port.ShouldBe(8080);
        spec.Container.Env["MODE"].ShouldBe("fast");
        spec.Container.Resources!.MemoryBytes.ShouldBe(256L << 20);
        spec.Container.Resources.Cpus.ShouldBe(0.5);
        spec.Container.Health.Interval.ShouldBe(TimeSpan.FromSeconds(5));
        spec.Container.Health.Retries.ShouldBe(2);
        spec.Api.Method.ShouldBe("POST");
        spec.Api.Timeout.ShouldBe(TimeSpan.FromSeconds(45));
        spec.Inputs!["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["text"]);
        spec.Inputs["properties"]!["plan"]!.AsObject().ContainsKey("type").ShouldBeFalse();
        spec.Outputs!["properties"]!["count"]!["type"]!.GetValue<string>().ShouldBe("number");
        var notes = string.Join("\n", manifest.Notes);
        notes.ShouldContain("actionVerb became spec.verb");
        notes.ShouldContain("container.image 'stage7/word-count:1.2.0' dropped");
        notes.ShouldContain("1 more port(s) dropped");
        notes.ShouldContain("'256m' (Docker's binary units) became 256Mi");
        notes.ShouldContain("api.timeout 45000 (milliseconds) became 45s");
        notes.ShouldContain("plan (plan)");
        notes.ShouldContain("dropped (no Berth equivalent): security");
    }

    [Fact]
    public void Convert_OtherLanguageAndNoId_AreErrorsWithTheirFields()
    {
        var converted = Stage7Manifest.Convert(JsonNode.Parse("""{ "language": "python", "version": "1.0.0" }""")!.AsObject());

        converted.Errors.Select(e => e.Path).ShouldBe(["id", "language", "container"], ignoreOrder: true);
    }

    [Fact]
    public void Read_ConvertedManifestBreakingBerthsRules_NamesTheConvertedPath()
    {
        File.WriteAllText(Path.Combine(_folder, "manifest.json"), """{ "id": "x", "version": "v1", "container": { "image": "local/x:1" } }""");

        var manifest = PluginManifestReader.Read(_folder);

        manifest.Errors.Single().Path.ShouldBe("manifest.json (converted): spec.version");
    }
}
