using System.Text.Json;
using ModelOps.Core.Common;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Web.Serving;

/// <summary>
/// Decodes one entry of an infer call's <c>inputs</c> (name, datatype, shape, data), naming the
/// JSON path of whatever is wrong. Split from <see cref="InferenceBodyReader"/> to keep each small.
/// </summary>
internal static class InferInputReader
{
    private static readonly HashSet<string> KnownDatatypes =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BF16", "BYTES"];

    public static Result<InferInput> Read(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Error.Invalid(field, $"{field} must be an object with name, shape, datatype and data.");
        }

        var name = RequiredString(element, "name", field, $"{field}.name is missing; name the model input (see GET /v2/models/{{name}}).");
        if (!name.IsSuccess)
        {
            return name.Error;
        }

        var unknownDatatype = $"{field}.datatype is missing or unknown; use an Open Inference Protocol type such as \"FP32\".";
        var datatype = RequiredString(element, "datatype", field, unknownDatatype);
        if (!datatype.IsSuccess)
        {
            return datatype.Error;
        }

        if (!KnownDatatypes.Contains(datatype.Value))
        {
            return Error.Invalid($"{field}.datatype", unknownDatatype);
        }

        var shape = ReadShape(element, field);
        if (!shape.IsSuccess)
        {
            return shape.Error;
        }

        var data = ReadData(element, field, shape.Value);
        return data.IsSuccess ? new InferInput(name.Value, shape.Value, datatype.Value, data.Value) : data.Error;
    }

    private static Result<string> RequiredString(JsonElement element, string property, string field, string missing)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return Error.Invalid($"{field}.{property}", missing);
        }

        if (!JsonText.TryGetString(value, out var text))
        {
            return JsonText.Undecodable($"{field}.{property}");
        }

        return text.Length > 0 ? text : Error.Invalid($"{field}.{property}", missing);
    }

    private static Result<long[]> ReadShape(JsonElement element, string field)
    {
        if (!element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array || shapeElement.GetArrayLength() is 0 or > 8)
        {
            return Error.Invalid($"{field}.shape", $"{field}.shape must be an array of 1 to 8 dimensions, e.g. [1, 4].");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        var i = 0;
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out var value) || value < 0)
            {
                return Error.Invalid($"{field}.shape", $"{field}.shape[{i}] must be a non-negative integer below 2^31.");
            }

            shape[i++] = value;
        }

        return shape;
    }

    private static Result<float[]> ReadData(JsonElement element, string field, long[] shape)
    {
        long expected = 1;
        foreach (var dimension in shape)
        {
            expected *= dimension;
            if (expected > 16_000_000)
            {
                return Error.Invalid($"{field}.shape", $"{field}.shape [{string.Join(", ", shape)}] holds more than 16 million values; send smaller batches.");
            }
        }

        if (!element.TryGetProperty("data", out var dataElement) || dataElement.ValueKind != JsonValueKind.Array)
        {
            return Error.Invalid($"{field}.data", $"{field}.data is missing; send the values as a (flat or nested) array of numbers.");
        }

        var data = new List<float>((int)Math.Min(expected, 65_536));
        var problem = Flatten(dataElement, $"{field}.data", data, depth: 0);
        if (problem is not null)
        {
            return problem;
        }

        return data.Count == expected
            ? data.ToArray()
            : Error.Invalid($"{field}.data", $"{field}.shape [{string.Join(", ", shape)}] needs {expected} values; {field}.data has {data.Count}.");
    }

    private static Error? Flatten(JsonElement array, string field, List<float> into, int depth)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array && depth < 8)
            {
                if (Flatten(item, field, into, depth + 1) is { } nested)
                {
                    return nested;
                }
            }
            else if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var value))
            {
                return Error.Invalid(field, $"{field} holds a non-numeric value at position {into.Count}; every value must be a number (NaN and Infinity are not allowed).");
            }
            else if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
            {
                return Error.Invalid(field, $"{field} value {value} at position {into.Count} does not fit FP32; send finite values within ±3.4e38.");
            }
            else
            {
                into.Add((float)value);
            }
        }

        return null;
    }
}
