using System.Text;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Steps;

namespace Berth.Runtime.Docker.Tests.Steps;

public sealed class StepOutputCollectorTests
{
    [Fact]
    public void Push_CharacterAndLineSplitAcrossChunks_ReassemblesLinesPerStream()
    {
        var collector = new StepOutputCollector();
        var bytes = Encoding.UTF8.GetBytes("h\u00e9llo\r\nsecond");

        var first = collector.Push(OutputKind.Stdout, bytes.AsSpan(0, 2));
        var err = collector.Push(OutputKind.Stderr, "oops\n"u8);
        var second = collector.Push(OutputKind.Stdout, bytes.AsSpan(2));
        var rest = collector.Complete();

        first.ShouldBeEmpty();
        err.ShouldBe(["oops"]);
        second.ShouldBe(["h\u00e9llo"]);
        rest.ShouldBe(["second"]);
        collector.Stdout().ShouldBe("h\u00e9llo\r\nsecond");
        collector.Tail().ShouldBe("oops\nh\u00e9llo\nsecond");
    }

    [Fact]
    public void Push_LineWithoutNewlineLongerThanTheCap_IsReportedInParts()
    {
        var collector = new StepOutputCollector();

        var lines = collector.Push(OutputKind.Stderr, Encoding.ASCII.GetBytes(new string('x', (StepOutputCollector.MaxLineChars * 2) + 5)));
        var rest = collector.Complete();

        lines.Select(l => l.Length).ShouldBe([StepOutputCollector.MaxLineChars, StepOutputCollector.MaxLineChars]);
        rest.Single().Length.ShouldBe(5);
    }

    [Fact]
    public void Stdout_MoreThanTheLimit_KeepsTheFirstMebibyteWithoutASplitCharacter()
    {
        var collector = new StepOutputCollector();
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\u00e9\u00e9\u00e9\n", 1000)));

        for (var written = 0; written <= StepOutputCollector.StdoutLimit; written += chunk.Length - 1)
        {
            collector.Push(OutputKind.Stdout, chunk.AsSpan(0, chunk.Length - 1));
        }

        var stdout = collector.Stdout();
        Encoding.UTF8.GetByteCount(stdout).ShouldBeInRange(StepOutputCollector.StdoutLimit - 1, StepOutputCollector.StdoutLimit);
        stdout.ShouldNotContain('\uFFFD');
    }

    [Fact]
    public void Tail_ManyLines_KeepsTheLastFortyOfBothStreams()
    {
        var collector = new StepOutputCollector();

        for (var i = 0; i < 100; i++)
        {
            collector.Push(i % 2 == 0 ? OutputKind.Stdout : OutputKind.Stderr, Encoding.ASCII.GetBytes($"line-{i}\n"));
        }

        collector.Tail().Split('\n').ShouldBe(Enumerable.Range(60, 40).Select(i => $"line-{i}"));
    }
}
