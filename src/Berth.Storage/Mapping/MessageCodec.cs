using Berth.Core.Requests;
using Berth.Core.Storage;

namespace Berth.Storage.Mapping;

/// <summary>
/// Stored form of a request's or response's headers and body: a version byte, the header count, each name and value as
/// length-prefixed UTF-8, then the body to the end; then protected (encrypted) when a protector is given. Compact and cheap
/// on the proxy's hot path.
/// </summary>
internal static class MessageCodec
{
    private const byte Version = 1;

    public static byte[] Encode(StoredMessage message, string id, IPayloadProtector? protector)
    {
        var plain = Encode(message);
        return protector is null ? plain : protector.Protect(id, plain);
    }

    public static StoredMessage Decode(byte[] stored, string id, string owner, IPayloadProtector? protector)
    {
        byte[] plain;
        try
        {
            plain = protector is null ? stored : protector.Unprotect(id, stored);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new StoredDataException($"{owner} cannot be read: its payload does not decrypt with this server's key (was secrets.key or BERTH_SECRETS_KEY changed?).", ex);
        }

        return Decode(plain, owner);
    }

    private static byte[] Encode(StoredMessage message)
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

    private static StoredMessage Decode(byte[] stored, string owner)
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
