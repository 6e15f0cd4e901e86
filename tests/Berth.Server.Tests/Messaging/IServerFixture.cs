using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Messaging;

/// <summary>A fixture that holds one running server for a test class.</summary>
public interface IServerFixture
{
    /// <summary>The server.</summary>
    internal TestServer Server { get; }
}
