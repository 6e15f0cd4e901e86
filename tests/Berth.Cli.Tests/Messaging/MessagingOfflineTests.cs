using Berth.Cli.Commands.Messaging;
using Berth.Cli.Tests.Infrastructure;
using Berth.Core.Messaging;

namespace Berth.Cli.Tests.Messaging;

/// <summary>
/// Messaging command lines that must fail clearly before anything is sent: the server they name does not listen, so a command that
/// got as far as the network would exit 4 instead.
/// </summary>
public sealed class MessagingOfflineTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness(string stdin = "")
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path, Stdin = stdin };
        harness.Environment["BERTH_URL"] = $"http://127.0.0.1:{UnusedPort.Get()}";
        harness.Environment["BERTH_TOKEN"] = "unused";
        return harness;
    }

    [Fact]
    public async Task Publish_NoData_IsAUsageErrorNamingTheOption()
    {
        var result = await Harness().RunAsync("publish", "orders");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--data");
    }

    [Fact]
    public async Task Publish_DataThatIsNotJson_SaysHowToQuoteText()
    {
        var result = await Harness().RunAsync("publish", "orders", "-d", "hello");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("not JSON");
        result.Err.ShouldContain("-d '\"hello\"'");
    }

    [Fact]
    public async Task Publish_MissingFile_IsAUsageError()
    {
        var result = await Harness().RunAsync("publish", "orders", "-d", "@nope.json");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("no such file");
    }

    [Theory]
    [InlineData("publish", "orders")]
    [InlineData("call", "echo")]
    public async Task DataFromFile_IsReadAsTheBodyNotAsAResponseFile(string verb, string target)
    {
        _directory.Write("body.json", "{\"n\": 1}");

        var result = await Harness().RunAsync(verb, target, "-d", "@body.json");

        result.ExitCode.ShouldBe(ExitCodes.Unavailable, $"the body was read and the command went on to the (absent) server\n{result}");
    }

    [Fact]
    public async Task Publish_StdinOverTheBodyLimit_IsRefusedWithTheLimit()
    {
        var big = $"\"{new string('x', MessageLimits.MaxBodyBytes)}\"";

        var result = await Harness(stdin: big).RunAsync("publish", "orders", "-d", "-");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("at most 262144 bytes");
    }

    [Fact]
    public async Task Publish_StdinFarOverTheLimit_IsRefusedWithoutReadingItAll()
    {
        var result = await Harness(stdin: new string(' ', MessageInput.MaxInputChars + 10) + "1").RunAsync("publish", "orders", "-d", "@-");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("longer than");
    }

    [Theory]
    [InlineData("nokey", "must look like NAME=VALUE")]
    [InlineData("=value", "must look like NAME=VALUE")]
    [InlineData("bad name=1", "not an attribute name")]
    [InlineData("kind=line\nbreak", "control character")]
    public async Task Publish_BadAttribute_IsAUsageErrorNamingIt(string attribute, string expected)
    {
        var result = await Harness().RunAsync("publish", "orders", "-d", "{}", "--attr", attribute);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain(expected);
        result.Err.ShouldContain("--attr");
    }

    [Fact]
    public async Task Publish_SameAttributeTwice_IsAUsageError()
    {
        var result = await Harness().RunAsync("publish", "orders", "-d", "{}", "-a", "kind=a", "-a", "kind=b");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("more than once");
    }

    [Theory]
    [InlineData("--key", "--key")]
    [InlineData("--id", "--id")]
    public async Task Publish_KeyOrIdTooLong_IsAUsageErrorNamingTheOption(string option, string named)
    {
        var result = await Harness().RunAsync("publish", "orders", "-d", "{}", option, new string('k', MessageLimits.MaxTextLength + 1));

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain($"{named}: 257 characters");
    }

    [Fact]
    public async Task Send_BadBody_CheckedLikePublish()
    {
        var result = await Harness().RunAsync("send", "bob", "-d", "{oops");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("not JSON");
    }

    [Theory]
    [InlineData("--timeout", "0s")]
    [InlineData("--timeout", "soon")]
    public async Task Request_BadTimeout_IsAUsageError(string option, string value)
    {
        var result = await Harness().RunAsync("request", "bob", "-d", "{}", option, value);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("not a duration above zero");
    }

    [Theory]
    [InlineData("subscribe", "orders", "--max", "0")]
    [InlineData("subscribe", "orders", "--timeout", "0s")]
    [InlineData("subscribe", "orders", "--timeout", "later")]
    [InlineData("mailbox", "bob", "--max", "-3")]
    [InlineData("subscribe", "orders", "--max", "lots")]
    public async Task ReceiveLoop_BadMaxOrTimeout_IsAUsageError(params string[] args)
    {
        var result = await Harness().RunAsync(args);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
    }

    [Theory]
    [InlineData("messages", "ls", "--state", "gone")]
    [InlineData("messages", "purge", "w", "--state", "acked", "--yes")]
    [InlineData("messages", "ls", "--limit", "0")]
    [InlineData("messages", "ls", "--limit", "1001")]
    [InlineData("topics", "create", "orders", "--ordering", "fifo")]
    [InlineData("topics", "create", "orders", "--retention", "forever")]
    public async Task Messaging_BadValue_IsAUsageError(params string[] args)
    {
        var result = await Harness().RunAsync(args);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
    }

    [Fact]
    public async Task MessagesLs_BadState_ListsTheStates()
    {
        var result = await Harness().RunAsync("messages", "ls", "--state", "gone");

        result.Err.ShouldContain("dead");
        result.Err.ShouldContain("leased");
    }

    [Theory]
    [InlineData("Orders", "metadata.name")]
    [InlineData("orders --max-deliveries 0", "spec.maxDeliveries")]
    [InlineData("orders --visibility-timeout 13h", "spec.visibilityTimeout")]
    [InlineData("orders --dead-letter orders", "spec.deadLetter")]
    public async Task TopicsCreate_InvalidSpec_IsInvalidNamingTheField(string line, string path)
    {
        var result = await Harness().RunAsync(["topics", "create", .. line.Split(' ')]);

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain(path);
    }

    [Theory]
    [InlineData("topics", "rm", "orders")]
    [InlineData("subscriptions", "rm", "w")]
    [InlineData("messages", "purge", "w")]
    public async Task Removal_WithoutYesAndNoTerminal_RefusesNamingYes(params string[] args)
    {
        var result = await Harness().RunAsync(args);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("pass --yes");
    }

    [Fact]
    public async Task MessagesRequeue_OverAThousandIds_IsAUsageError()
    {
        var ids = Enumerable.Range(0, MessageLimits.MaxReceive + 1).Select(i => $"m{i}");

        var result = await Harness().RunAsync(["messages", "requeue", "w", .. ids]);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("at most 1000");
    }

    [Fact]
    public async Task Subscribe_ServerDown_ExitsUnavailable()
    {
        var result = await Harness().RunAsync("subscribe", "orders", "--max", "1");

        result.ExitCode.ShouldBe(ExitCodes.Unavailable, result.ToString());
    }
}
