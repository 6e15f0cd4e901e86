using Berth.Server.Images;

namespace Berth.Server.Tests.Images;

/// <summary>The tag and Dockerfile names <c>POST /api/v1/images/build</c> accepts.</summary>
public sealed class ImageReferencesTests
{
    [Theory]
    [InlineData("local/my-agent:1")]
    [InlineData("my_agent")]
    [InlineData("registry.example:5000/team/agent:v1.2.0")]
    public void TagProblem_Reference_IsNone(string tag) => ImageReferences.TagProblem(tag).ShouldBeNull();

    [Theory]
    [InlineData("", "required")]
    [InlineData("Local/Agent:1", "not an image reference")]
    [InlineData("agent:1\nInjected: yes", "not an image reference")]
    [InlineData("agent:", "not an image reference")]
    [InlineData("agent:1\n", "not an image reference")]
    [InlineData("a/../b:1", "not an image reference")]
    public void TagProblem_NotAReference_SaysWhatIsExpected(string tag, string expected) =>
        ImageReferences.TagProblem(tag).ShouldNotBeNull().ShouldContain(expected);

    [Theory]
    [InlineData("Dockerfile", true)]
    [InlineData("docker/Dockerfile.prod", true)]
    [InlineData("../Dockerfile", false)]
    [InlineData("/etc/Dockerfile", false)]
    [InlineData("a\\Dockerfile", false)]
    public void DockerfileProblem_Path_IsNoneOnlyInsideTheContext(string path, bool fine) =>
        (ImageReferences.DockerfileProblem(path) is null).ShouldBe(fine);
}
