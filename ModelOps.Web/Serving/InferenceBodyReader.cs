using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using ModelOps.Core.Common;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Web.Serving;

/// <summary>
/// Decodes inference bodies by hand from a <see cref="JsonDocument"/>, so every malformed part
/// gets a problem naming its JSON path (model binding would only say "bad request").
/// </summary>
public static class InferenceBodyReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    private static readonly HashSet<string> KnownDatatypes =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BF16", "BYTES"];

    public static async Task<Result<JsonDocument>> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            return await JsonDocument.ParseAsync(request.Body, DocumentOptions, cancellationToken);
        }
        catch (JsonException exception)
        {
            return Error.Invalid("body", $"The body is not valid JSON (line {exception.LineNumber}, byte {exception.BytePositionInLine}); send a JSON object as the API contract shows.");
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
    }

    public static Result<InferRequest> ReadInfer(string model, JsonElement root, string? headerRoutingKey, string? headerRegion)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Error.Invalid("body", "The body must be a JSON object with an \"inputs\" array.");
        }

        var id = OptionalString(root, "id");
        if (!id.IsSuccess)
        {
            return id.Error;
        }

        if (!root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array || inputsElement.GetArrayLength() == 0)
        {
            return Error.Invalid("inputs", "\"inputs\" is missing or empty; send [{ \"name\", \"shape\", \"datatype\", \"data\" }].");
        }

        var inputs = new List<InferInput>();
        var index = 0;
        foreach (var element in inputsElement.EnumerateArray())
        {
            var input = ReadInput(element, $"inputs[{index++}]");
            if (!input.IsSuccess)
            {
                return input.Error;
            }

            inputs.Add(input.Value);
        }

        var parameters = ReadParameters(root, headerRoutingKey, headerRegion);
        return parameters.IsSuccess
            ? new InferRequest(model, id.Value, inputs, parameters.Value.RoutingKey, parameters.Value.Region)
            : parameters.Error;
    }

    public static Result<PredictRequest> ReadPredict(string model, JsonElement root, string? headerRoutingKey, string? headerRegion)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Error.Invalid("body", "The body must be a JSON object with a \"features\" object.");
        }

        if (!root.TryGetProperty("features", out var featuresElement) || featuresElement.ValueKind != JsonValueKind.Object)
        {
            return Error.Invalid("features", "\"features\" is missing or not an object; send { \"features\": { \"<name>\": number | string | null } }.");
        }

        var features = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
        foreach (var property in featuresElement.EnumerateObject())
        {
            var value = FeatureValue.FromJson(property.Value, property.Name);
            if (!value.IsSuccess)
            {
                return value.Error;
            }

            if (!features.TryAdd(property.Name, value.Value))
            {
                return Error.Invalid($"features.{property.Name}", $"Feature '{property.Name}' appears twice; send each feature once.");
            }
        }

        var routingKey = OptionalString(root, "routingKey");
        var region = OptionalString(root, "region");
        if (!routingKey.IsSuccess)
        {
            return routingKey.Error;
        }

        return region.IsSuccess
            ? new PredictRequest(model, features, routingKey.Value ?? headerRoutingKey, region.Value ?? headerRegion)
            : region.Error;
    }

    private static Result<InferInput> ReadInput(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Error.Invalid(field, $"{field} must be an object with name, shape, datatype and data.");
        }

        if (!element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString()))
        {
            return Error.Invalid($"{field}.name", $"{field}.name is missing; name the model input (see GET /v2/models/{{name}}).");
        }

        if (!element.TryGetProperty("datatype", out var datatype) || datatype.ValueKind != JsonValueKind.String || !KnownDatatypes.Contains(datatype.GetString()!))
        {
            return Error.Invalid($"{field}.datatype", $"{field}.datatype is missing or unknown; use an Open Inference Protocol type such as \"FP32\".");
        }

        var shape = ReadShape(element, field);
        if (!shape.IsSuccess)
        {
            return shape.Error;
        }

        var data = ReadData(element, field, shape.Value);
        return data.IsSuccess ? new InferInput(name.GetString()!, shape.Value, datatype.GetString()!, data.Value) : data.Error;
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

    private static Result<(string? RoutingKey, string? Region)> ReadParameters(JsonElement root, string? headerRoutingKey, string? headerRegion)
    {
        if (!root.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return (headerRoutingKey, headerRegion);
        }

        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return Error.Invalid("parameters", "\"parameters\" must be an object, e.g. { \"routingKey\": \"user-42\", \"region\": \"eu\" }.");
        }

        var routingKey = OptionalString(parameters, "routingKey");
        var region = OptionalString(parameters, "region");
        if (!routingKey.IsSuccess)
        {
            return Error.Invalid("parameters.routingKey", routingKey.Error.Detail);
        }

        return region.IsSuccess
            ? (routingKey.Value ?? headerRoutingKey, region.Value ?? headerRegion)
            : Error.Invalid("parameters.region", region.Error.Detail);
    }

    private static Result<string?> OptionalString(JsonElement obj, string property)
    {
        if (!obj.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Result<string?>.Success(null);
        }

        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: <= 256 } text
            ? Result<string?>.Success(text)
            : Error.Invalid(property, $"\"{property}\" must be a string of at most 256 characters.");
    }

    private static Error TooLarge(long maxBytes) =>
        Error.TooLarge("body", $"The body is larger than the limit of {maxBytes} bytes (ModelOps:Inference:MaxRequestBytes); send smaller batches.");
}
