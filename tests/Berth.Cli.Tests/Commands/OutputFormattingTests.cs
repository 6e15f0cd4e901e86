using Berth.Cli.Commands;
using Berth.Cli.Output;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Cli.Tests.Commands;

public sealed class OutputFormattingTests
{
    [Theory]
    [InlineData(LogSource.Stdout, false, "hello")]
    [InlineData(LogSource.Stderr, false, "! hello")]
    [InlineData(LogSource.Stdout, true, "echo-1 | hello")]
    [InlineData(LogSource.Stderr, true, "echo-1 ! hello")]
    public void LogsFormat_SourceAndInstanceCount_MarksStderrAndPrefixesInstances(LogSource source, bool prefixed, string expected) =>
        LogsCommand.Format(new LogEntry("echo-1", DateTimeOffset.UnixEpoch, source, "hello"), prefixed).ShouldBe(expected);

    [Fact]
    public void DataWriterYaml_Spec_UsesTheApiNamesAndForms()
    {
        var spec = new AgentSpec
        {
            Name = "echo",
            Image = "local/echo:1",
            Restart = new RestartSpec { Policy = RestartPolicy.OnFailure },
            Env = new Dictionary<string, string> { ["MODE"] = "true" },
        };
        var writer = new StringWriter();

        DataWriter.Write(writer, spec, OutputFormat.Yaml);

        var yaml = writer.ToString();
        yaml.ShouldContain("name: echo");
        yaml.ShouldContain("policy: on-failure");
        yaml.ShouldNotContain("maxBackoff", customMessage: "5m is the default, left out as the JSON leaves it out");
        yaml.ShouldContain("MODE: \"true\"");
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(125, "2m")]
    [InlineData(7200, "2h")]
    [InlineData(3 * 86400, "3d")]
    public void Age_Elapsed_ShortForm(int seconds, string expected) =>
        Formats.Age(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(seconds)).ShouldBe(expected);
}
