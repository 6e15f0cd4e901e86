using System.Buffers.Binary;
using System.Text;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Runtime;
using Berth.Testing;

namespace Berth.Runtime.Docker.Tests.Engine;

public sealed class StreamParsingTests
{
    [Fact]
    public async Task ReadMultiplexedAsync_LineAndCharacterSplitAcrossFrames_ReassemblesPerStream()
    {
        var check = Encoding.UTF8.GetBytes("✓");
        using var stream = new MemoryStream(Frames(
            (1, Encoding.UTF8.GetBytes("2024-05-01T10:00:00.123456789Z par")),
            (2, Encoding.UTF8.GetBytes("2024-05-01T10:00:01Z oops\r\n")),
            (1, [.. Encoding.UTF8.GetBytes("tial "), check[0]]),
            (1, [.. check[1..], .. Encoding.UTF8.GetBytes("\nunterminated")])));

        var lines = new List<(OutputKind Stream, string Line)>();
        await foreach (var line in DockerEngineClient.ReadMultiplexedAsync(stream, TestTimeouts.Token()))
        {
            lines.Add(line);
        }

        lines.ShouldBe([
            (OutputKind.Stderr, "2024-05-01T10:00:01Z oops"),
            (OutputKind.Stdout, "2024-05-01T10:00:00.123456789Z partial ✓"),
            (OutputKind.Stdout, "unterminated"),
        ]);
    }

    [Fact]
    public async Task ReadMultiplexedAsync_LongMessageInTimestampedParts_DropsContinuationPrefixes()
    {
        using var stream = new MemoryStream(Frames(
            (1, Encoding.UTF8.GetBytes("2024-05-01T10:00:00.000000001Z first-half ")),
            (1, Encoding.UTF8.GetBytes("2024-05-01T10:00:00.000000002Z second-half\n"))));

        var lines = new List<string>();
        await foreach (var (_, line) in DockerEngineClient.ReadMultiplexedAsync(stream, TestTimeouts.Token()))
        {
            lines.Add(line);
        }

        lines.ShouldBe(["2024-05-01T10:00:00.000000001Z first-half second-half"]);
    }

    [Fact]
    public async Task ReadMultiplexedAsync_LineFarLongerThanTheLimit_ComesInPartsThatKeepItsTime()
    {
        // 200 engine parts of 16 KiB: one 3.2 MB line, which must never be held whole.
        var part = new string('x', 16 * 1024);
        var frames = Enumerable.Range(0, 200)
            .Select(i => ((byte)1, Encoding.UTF8.GetBytes($"2024-05-01T10:00:00.{i + 1:D9}Z {part}{(i == 199 ? "\n" : "")}")))
            .ToArray();
        using var stream = new MemoryStream(Frames(frames));

        var lines = new List<ContainerLogLine>();
        await foreach (var (source, raw) in DockerEngineClient.ReadMultiplexedAsync(stream, TestTimeouts.Token()))
        {
            lines.Add(DockerEngineClient.ParseLogLine(source, raw));
        }

        lines.Count.ShouldBeGreaterThan(1);
        lines.ShouldAllBe(l => l.Text.Length <= LogLineAssembler.MaxLineChars);
        lines.ShouldAllBe(l => l.Time == lines[0].Time && l.Time != DateTimeOffset.UnixEpoch);
        string.Concat(lines.Select(l => l.Text)).ShouldBe(string.Concat(Enumerable.Repeat(part, 200)));
    }

    [Fact]
    public void ParseLogLine_NanosecondTimestamp_SplitsTimeAndText()
    {
        var line = DockerEngineClient.ParseLogLine(OutputKind.Stderr, "2024-05-01T10:00:00.123456789Z hello world");

        line.Time.ShouldBe(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        line.Text.ShouldBe("hello world");
        line.Stream.ShouldBe(OutputKind.Stderr);
    }

    [Fact]
    public void ResolveSocketPath_Precedence_ExplicitThenUnixDockerHostThenDefault()
    {
        DockerEngineClient.ResolveSocketPath("/run/a.sock", "unix:///run/b.sock").ShouldBe("/run/a.sock");
        DockerEngineClient.ResolveSocketPath(null, "unix:///run/b.sock").ShouldBe("/run/b.sock");
        DockerEngineClient.ResolveSocketPath(null, null).ShouldBe("/var/run/docker.sock");
        Should.Throw<DockerEngineException>(() => DockerEngineClient.ResolveSocketPath(null, "tcp://10.0.0.1:2375"))
            .Message.ShouldContain("unix://");
    }

    [Theory]
    [InlineData("node_modules", "node_modules/a/b.js", true)]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "sub/app.log", false)]
    [InlineData("**/*.log", "sub/deep/app.log", true)]
    [InlineData("/secret?.txt", "secret1.txt", true)]
    [InlineData("# comment", "# comment", false)]
    [InlineData("build/", "src/build.cs", false)]
    public void DockerIgnore_Pattern_MatchesLikeDocker(string pattern, string path, bool ignored) =>
        DockerIgnore.Parse([pattern]).IsIgnored(path).ShouldBe(ignored);

    private static byte[] Frames(params (byte Stream, byte[] Payload)[] frames)
    {
        using var buffer = new MemoryStream();
        foreach (var (stream, payload) in frames)
        {
            var header = new byte[8];
            header[0] = stream;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            buffer.Write(header);
            buffer.Write(payload);
        }

        return buffer.ToArray();
    }
}
