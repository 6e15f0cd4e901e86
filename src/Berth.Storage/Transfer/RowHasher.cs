using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Storage.Transfer;

/// <summary>
/// A SHA-256 over a table's rows in key order, with each value written the same way whichever engine it was read from
/// (an integer as its decimal digits, bytes as hex), so a table copied between SQLite and PostgreSQL sums the same.
/// </summary>
internal sealed class RowHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Rows { get; private set; }

    public void Add(DbDataReader row)
    {
        var text = new StringBuilder();
        for (var i = 0; i < row.FieldCount; i++)
        {
            text.Append(Text(row.IsDBNull(i) ? null : row.GetValue(i))).Append('\u001f');
        }

        _hash.AppendData(Encoding.UTF8.GetBytes(text.Append('\u001e').ToString()));
        Rows++;
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();

    private static string Text(object? value) => value switch
    {
        null => "\u0000",
        byte[] bytes => Convert.ToHexStringLower(bytes),
        int or long or short => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        string text => text,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
