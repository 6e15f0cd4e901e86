using System.Text.Json.Nodes;
using Berth.Core.Workflows;
using Berth.Server.Plugins.Api;
using Berth.Server.Plugins.Execution;

namespace Berth.Server.Tests.Plugins;

/// <summary>Each way a plugin call fails gets its own HTTP status, with the error classes and invocation id beside the message.</summary>
public sealed class PluginCallProblemsTests
{
    [Theory]
    [InlineData("InvalidReference", 400)]
    [InlineData("NotInstalled", 404)]
    [InlineData("InvalidInputs", 422)]
    [InlineData("PluginError", 502)]
    [InlineData("BadAnswer", 502)]
    [InlineData("InvalidOutputs", 502)]
    [InlineData("Unreachable", 502)]
    [InlineData("Unavailable", 503)]
    [InlineData("BreakerOpen", 503)]
    [InlineData("Timeout", 504)]
    public void For_EachFailure_ItsStatus(string failure, int status) =>
        PluginCallProblems.For(new PluginCallException(ErrorClass.Transient, "it failed", "inv-1") { Failure = Enum.Parse<PluginCallFailure>(failure) }).StatusCode.ShouldBe(status);

    [Fact]
    public void For_APluginsOwnFailure_CarriesBothClassesTheInvocationAndASentence()
    {
        var problem = PluginCallProblems.For(new PluginCallException(ErrorClass.User, "p@1.0.0 failed (quota): no more", "inv-1", "quota")
        {
            Failure = PluginCallFailure.PluginError, Plugin = "p@1.0.0", Attempts = 1,
        }).ProblemDetails;

        problem.Detail.ShouldBe("P@1.0.0 failed (quota): no more.");
        problem.Extensions["errorClass"].ShouldBe("user");
        problem.Extensions["pluginErrorClass"].ShouldBe("quota");
        problem.Extensions["invocationId"].ShouldBe("inv-1");
        problem.Extensions["attempts"].ShouldBe(1);
    }
}
