using System.Text.Json;

namespace ModelOps.Inference.Serving.Log;

/// <summary>The JSON arrays of the log's input and output columns.</summary>
internal static class InferenceLogJson
{
    /// <summary>Non-finite values are written as null: JSON has no NaN, and a row must not fail.</summary>
    public static void WriteFloats(Utf8JsonWriter writer, float[] values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            if (value == (int)value && value is > -1e6f and < 1e6f)
            {
                // One-hot and bucket slots are whole numbers; integer formatting is several
                // times cheaper than round-trip float formatting and gives the same text.
                writer.WriteNumberValue((int)value);
            }
            else if (float.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads an array written by <see cref="WriteFloats"/>; null elements become NaN.</summary>
    public static float[] ParseFloats(string json)
    {
        var values = new List<float>(64);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    values.Add(reader.GetSingle());
                    break;
                case JsonTokenType.Null:
                    values.Add(float.NaN);
                    break;
            }
        }

        return [.. values];
    }
}
