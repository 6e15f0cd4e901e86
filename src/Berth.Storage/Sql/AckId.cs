using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace Berth.Storage.Sql;

/// <summary>
/// An ack id of the embedded broker: <c>SEQ.TOKEN</c>, the row's sequence number (so the row is found by its primary key)
/// and the random token of the lease it was handed out with (so only that lease's holder can ack, and only until the row
/// is leased again).
/// </summary>
internal readonly record struct AckId(long Seq, string Token)
{
    private const int TokenBytes = 16;
    private const int MaxLength = 20 + 1 + (TokenBytes * 2);
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>Reads an ack id a consumer sent back; false for anything this broker cannot have handed out.</summary>
    public static bool TryParse(string? text, out AckId ackId)
    {
        ackId = default;
        if (text is null || text.Length > MaxLength)
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || text.Length - dot - 1 != TokenBytes * 2
            || text.AsSpan(dot + 1).ContainsAnyExcept(Hex))
        {
            return false;
        }

        ackId = new AckId(seq, text[(dot + 1)..]);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Seq}.{Token}");
}
