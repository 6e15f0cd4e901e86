using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// Picks the address block of a new agent network inside <c>Berth:Docker:AgentSubnets</c>. Parsing and containment are
/// <see cref="IPNetwork"/>'s; the only arithmetic here is stepping from one block to the next.
/// </summary>
internal static class AgentSubnetPicker
{
    /// <summary>
    /// The first <c>/<paramref name="prefix"/></c> block of <paramref name="range"/> that overlaps none of <paramref name="used"/>;
    /// null when every block is taken.
    /// </summary>
    public static IPNetwork? Next(IPNetwork range, int prefix, IReadOnlyCollection<IPNetwork> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        if (range.BaseAddress.AddressFamily != AddressFamily.InterNetwork || prefix < range.PrefixLength || prefix > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(prefix), prefix, $"a /{prefix} block does not fit in {range}");
        }

        var taken = used.Where(u => u.BaseAddress.AddressFamily == AddressFamily.InterNetwork && Overlaps(u, range)).ToList();
        var step = 1UL << (32 - prefix);
        var end = (ulong)ToUInt32(range.BaseAddress) + (1UL << (32 - range.PrefixLength));
        for (var start = (ulong)ToUInt32(range.BaseAddress); start < end; start += step)
        {
            var block = new IPNetwork(ToAddress((uint)start), prefix);
            if (!taken.Any(t => Overlaps(t, block)))
            {
                return block;
            }
        }

        return null;
    }

    /// <summary>The bridge's address of a block: its first host address.</summary>
    public static IPAddress Gateway(IPNetwork block) => ToAddress(ToUInt32(block.BaseAddress) + 1);

    /// <summary>
    /// Reads a subnet as the engine reports it; one kept with host bits (<c>10.1.2.3/16</c>) is read as its block, as
    /// <see cref="IPNetwork.TryParse(string, out IPNetwork)"/> masks them. Null for garbage.
    /// </summary>
    public static IPNetwork? ParseUsed(string? subnet) => IPNetwork.TryParse(subnet, out var network) ? network : null;

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
