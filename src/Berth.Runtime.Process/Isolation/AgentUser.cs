namespace Berth.Runtime.Process.Isolation;

/// <summary>The unprivileged uid (and its same-numbered gid) an agent's processes run under.</summary>
internal readonly record struct AgentUser(uint Id)
{
    public uint GroupId => Id;

    public override string ToString() => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
