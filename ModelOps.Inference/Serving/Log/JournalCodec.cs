using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The journal's binary form of one queued write. A frame is
/// <c>[u32 payload length][u32 CRC-32 of the payload][payload]</c>, little-endian, so a frame
/// torn by a crash in the middle of a write (power loss; a killed process completes its write)
/// is recognised and ignored, never half-read. Strings are <c>[i32 byte length, -1 for null][UTF-8]</c>.
/// Personal features are masked here, before anything reaches the disk, exactly as the log row
/// masks them (<see cref="PersonalDataMask"/>). Not thread-safe: one reusable buffer.
/// </summary>
internal sealed class JournalCodec
{
    public const int HeaderBytes = 8;

    /// <summary>A length beyond this is a torn or corrupt header, not a record (the request body limit is far below).</summary>
    public const int MaxPayloadBytes = 64 << 20;

    private const byte RecordKind = 1;
    private const byte FeedbackKind = 2;

    private byte[] _buffer = new byte[1024];
    private int _length;

    /// <summary>Encodes one item as a frame; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode(in LogItem item)
    {
        _length = HeaderBytes;
        if (item.Record is { } record)
        {
            WriteRecord(record);
        }
        else
        {
            // LogItem's invariant: exactly one of the two is set.
            WriteFeedback(item.Feedback!);
        }

        var payload = _buffer.AsSpan(HeaderBytes, _length - HeaderBytes);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(4), Crc32.HashToUInt32(payload));
        return _buffer.AsSpan(0, _length);
    }

    /// <summary>
    /// Reads the frame at the start of <paramref name="data"/>. False when what is there is not a
    /// whole, intact frame (the torn tail of a segment): the caller stops reading that segment.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out LogItem item, out int consumed)
    {
        item = default;
        consumed = 0;
        if (data.Length < HeaderBytes)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length <= 0 || length > MaxPayloadBytes || length > data.Length - HeaderBytes)
        {
            return false;
        }

        var payload = data.Slice(HeaderBytes, length);
        if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
        {
            return false;
        }

        var reader = new JournalReader(payload);
        item = reader.Byte() switch
        {
            RecordKind => new LogItem(ReadRecord(ref reader), null),
            FeedbackKind => new LogItem(null, ReadFeedback(ref reader)),
            _ => default,
        };
        consumed = HeaderBytes + length;
        return item.Record is not null || item.Feedback is not null;
    }

    private void WriteRecord(InferenceRecord r)
    {
        WriteByte(RecordKind);
        WriteString(r.RequestId);
        WriteInt64(r.At.UtcTicks);
        WriteString(r.Model);
        WriteInt32(r.Version);
        WriteString(r.EncoderSpec?.Name);
        WriteInt32(r.EncoderSpec?.Version ?? 0);
        WriteByte((byte)r.Arm);
        WriteString(r.RoutingKey);
        WriteString(r.Region);
        WriteFeatures(r.Features, r.EncoderSpec);
        WriteFloats(r.Input);
        WriteFloats(r.Outputs);
        WriteByte(r.Score.HasValue ? (byte)1 : (byte)0);
        WriteDouble(r.Score ?? 0);
        WriteDouble(r.LatencyMs);
        WriteByte((byte)r.Status);
        WriteString(r.Error);
    }

    private static InferenceRecord ReadRecord(ref JournalReader reader)
    {
        var requestId = reader.String() ?? string.Empty;
        var at = new DateTimeOffset(reader.Int64(), TimeSpan.Zero);
        var model = reader.String() ?? string.Empty;
        var version = reader.Int32();
        var encoderName = reader.String();
        var encoderVersion = reader.Int32();
        // Only the name and version are kept: the features were masked when journaled.
        var encoder = encoderName is null ? null : new FeatureEncoderSpec(encoderName, encoderVersion, []);
        var arm = (Arm)reader.Byte();
        var routingKey = reader.String();
        var region = reader.String();
        var features = reader.Features();
        var input = reader.Floats();
        var outputs = reader.Floats();
        var hasScore = reader.Byte() == 1;
        var score = reader.Double();
        return new InferenceRecord(
            requestId, at, model, version, arm, routingKey, region, features, encoder, input, outputs,
            hasScore ? score : null, reader.Double(), (RequestStatus)reader.Byte(), reader.String());
    }

    private void WriteFeedback(InferenceFeedback f)
    {
        WriteByte(FeedbackKind);
        WriteString(f.RequestId);
        WriteString(f.Model);
        WriteInt32(f.Version);
        WriteString(f.Arm);
        WriteDouble(f.Outcome);
        WriteInt64(f.ReceivedAt.UtcTicks);
    }

    private static InferenceFeedback ReadFeedback(ref JournalReader reader) => new()
    {
        RequestId = reader.String() ?? string.Empty,
        Model = reader.String() ?? string.Empty,
        Version = reader.Int32(),
        Arm = reader.String() ?? string.Empty,
        Outcome = reader.Double(),
        ReceivedAt = new DateTimeOffset(reader.Int64(), TimeSpan.Zero),
    };

    private void WriteFeatures(IReadOnlyDictionary<string, FeatureValue>? features, FeatureEncoderSpec? spec)
    {
        if (features is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(features.Count);
        foreach (var (name, value) in features)
        {
            WriteString(name);
            var masked = PersonalDataMask.IsPersonal(spec, name);
            var kind = masked ? FeatureValueKind.Text : value.Kind;
            WriteByte((byte)kind);
            if (kind == FeatureValueKind.Number)
            {
                WriteDouble(value.Number);
            }
            else if (kind == FeatureValueKind.Text)
            {
                WriteString(masked ? PersonalDataMask.Masked : value.Text);
            }
        }
    }

    private void WriteFloats(float[]? values)
    {
        WriteInt32(values?.Length ?? -1);
        if (values is { Length: > 0 })
        {
            var bytes = values.Length * sizeof(float);
            var target = Reserve(bytes);
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(target[(i * sizeof(float))..], values[i]);
            }
        }
    }

    private void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var lengthAt = _length;
        Reserve(sizeof(int));
        var written = Encoding.UTF8.GetBytes(value, Reserve(max));
        _length -= max - written;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(lengthAt), written);
    }

    private void WriteByte(byte value) => Reserve(1)[0] = value;

    private void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), value);

    private void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);

    private void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(sizeof(double)), value);

    private Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }

        var span = _buffer.AsSpan(_length, bytes);
        _length += bytes;
        return span;
    }
}
