using Berth.Core.Requests;

namespace Berth.Storage.Mapping;

/// <summary>
/// Stored form of a request's or response's headers and body: a version byte, the header count, each name and value as
/// length-prefixed UTF-8, then the body to the end. Compact and cheap on the proxy's hot path.
/// </summary>
internal static class MessageCodec
{
    private const byte Version = 1;

    public static byte[] Encode(StoredMessage message)
    {
        using var buffer = new MemoryStream(64 + message.Body.Length);
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write7BitEncodedInt(message.Headers.Count);
            foreach (var (name, value) in message.Headers)
            {
                writer.Write(name);
                writer.Write(value);
            }

            writer.Write(message.Body);
        }

        return buffer.ToArray();
    }

    public static StoredMessage Decode(byte[] stored, string owner)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(stored), System.Text.Encoding.UTF8);
            if (reader.ReadByte() != Version)
            {
                throw new StoredDataException($"{owner} cannot be read: its stored message has an unknown format. Was the database written by a newer Berth?");
            }

            var count = reader.Read7BitEncodedInt();
            var headers = new List<KeyValuePair<string, string>>(count);
            for (var i = 0; i < count; i++)
            {
                headers.Add(new KeyValuePair<string, string>(reader.ReadString(), reader.ReadString()));
            }

            var body = reader.ReadBytes((int)(stored.Length - reader.BaseStream.Position));
            return new StoredMessage { Headers = headers, Body = body };
        }
        catch (EndOfStreamException ex)
        {
            throw new StoredDataException($"{owner} cannot be read: its stored message is cut short. The database was probably damaged or edited by hand.", ex);
        }
    }
}
