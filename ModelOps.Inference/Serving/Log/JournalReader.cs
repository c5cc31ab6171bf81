using System.Buffers.Binary;
using System.Text;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Reads the fields <see cref="JournalCodec"/> wrote, in order. A payload that passed its CRC
/// but is shorter than its fields claim throws <see cref="ArgumentOutOfRangeException"/>; the
/// replay treats that as a corrupt segment.
/// </summary>
internal ref struct JournalReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _at;

    public byte Byte() => Take(1)[0];

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));

    public string? String()
    {
        var length = Int32();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public float[]? Floats()
    {
        var count = Int32();
        if (count < 0)
        {
            return null;
        }

        var bytes = Take(checked(count * sizeof(float)));
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return values;
    }

    public Dictionary<string, FeatureValue>? Features()
    {
        var count = Int32();
        if (count < 0)
        {
            return null;
        }

        var features = new Dictionary<string, FeatureValue>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = String() ?? string.Empty;
            features[name] = (FeatureValueKind)Byte() switch
            {
                FeatureValueKind.Number => FeatureValue.FromNumber(Double()),
                FeatureValueKind.Text => FeatureValue.FromText(String() ?? string.Empty),
                _ => FeatureValue.Null,
            };
        }

        return features;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _payload.Length - _at)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The journal frame ends before its fields do.");
        }

        var span = _payload.Slice(_at, count);
        _at += count;
        return span;
    }
}
