using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>Stores and shows a <see cref="GuardrailMetric"/> by its contract wire name (<c>latency_p95</c>), as plans name it.</summary>
public sealed class GuardrailMetricJsonConverter : JsonConverter<GuardrailMetric>
{
    public override GuardrailMetric Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        GuardrailMetricNames.FromWire(reader.GetString()) ?? throw new JsonException($"'{reader.GetString()}' is not a guardrail metric ({GuardrailMetricNames.Known}).");

    public override void Write(Utf8JsonWriter writer, GuardrailMetric value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToWire());
    }
}
