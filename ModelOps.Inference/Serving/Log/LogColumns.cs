using System.Buffers;
using System.Text;
using System.Text.Json;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// A record's column values as every provider stores them: features masked and serialised,
/// vectors as JSON text (deterministic, so equal text means an equal vector), NaN normalised.
/// Not thread-safe: its JSON buffer is reused across rows.
/// </summary>
internal sealed class LogColumns : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    public LogColumns() => _json = new Utf8JsonWriter(_buffer);

    public static string? Encoder(InferenceRecord record) => record.EncoderSpec is { } spec ? $"{spec.Name}@{spec.Version}" : null;

    /// <summary>A NaN score is stored as no score, on every provider (SQLite could not tell them apart).</summary>
    public static double? Score(InferenceRecord record) => record.Score is { } score && !double.IsNaN(score) ? score : null;

    /// <summary>The column is NOT NULL and SQLite stores NaN as NULL, which would refuse the whole batch.</summary>
    public static double LatencyMs(InferenceRecord record) => double.IsNaN(record.LatencyMs) ? 0d : record.LatencyMs;

    public string? FeaturesJson(InferenceRecord record)
    {
        if (record.Features is not { } features)
        {
            return null;
        }

        PersonalDataMask.WriteJson(_json, features, record.EncoderSpec);
        return TakeJson();
    }

    public string? FloatsJson(float[]? values)
    {
        if (values is null)
        {
            return null;
        }

        InferenceLogJson.WriteFloats(_json, values);
        return TakeJson();
    }

    public void Dispose() => _json.Dispose();

    private string TakeJson()
    {
        _json.Flush();
        var text = Encoding.UTF8.GetString(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        return text;
    }
}
