using Berth.Runtime.Process.Processes;

namespace Berth.Runtime.Process.Tests;

public sealed class ProcStatTests
{
    [Fact]
    public void Parse_CommandNameWithSpacesAndParentheses_ReadsStateGroupAndStartTime()
    {
        var stat = ProcStat.Parse("4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100 0");

        stat.ShouldBe(new ProcStat('S', 4242, 987654));
        stat!.IsLive.ShouldBeTrue();
    }

    [Fact]
    public void Read_Zombie_IsNotLive()
    {
        ProcStat.Parse("7 (sleep) Z 1 7 7 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 5 0 0 0")!.IsLive.ShouldBeFalse();
    }

    [Fact]
    public void Read_CurrentProcess_MatchesItsOwnStatFile()
    {
        var stat = ProcStat.Read(Environment.ProcessId);

        stat.ShouldNotBeNull();
        stat.IsLive.ShouldBeTrue();
        stat.StartTime.ShouldBeGreaterThan(0);
    }
}
