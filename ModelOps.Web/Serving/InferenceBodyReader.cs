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
            // Bytes that are not UTF-8 outside a string land here too: the reader refuses them as tokens.
            return new Error(
                ErrorKind.Invalid,
                $"The body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}); send a UTF-8 JSON object as the API contract shows.",
                "body",
                Offset: exception.LineNumber == 0 ? exception.BytePositionInLine : null);
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
            var input = InferInputReader.Read(element, $"inputs[{index++}]");
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
            if (!JsonText.TryGetName(property, out var featureName))
            {
                return JsonText.Undecodable("features", "feature name");
            }

            var value = FeatureValue.FromJson(property.Value, featureName);
            if (!value.IsSuccess)
            {
                return value.Error;
            }

            if (!features.TryAdd(featureName, value.Value))
            {
                return Error.Invalid($"features.{featureName}", $"Feature '{featureName}' appears twice; send each feature once.");
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

        var routingKey = OptionalString(parameters, "routingKey", "parameters.");
        var region = OptionalString(parameters, "region", "parameters.");
        if (!routingKey.IsSuccess)
        {
            return routingKey.Error;
        }

        return region.IsSuccess ? (routingKey.Value ?? headerRoutingKey, region.Value ?? headerRegion) : region.Error;
    }

    private static Result<string?> OptionalString(JsonElement obj, string property, string prefix = "")
    {
        if (!obj.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Result<string?>.Success(null);
        }

        var notAShortString = Error.Invalid(prefix + property, $"\"{property}\" must be a string of at most 256 characters.");
        if (value.ValueKind != JsonValueKind.String)
        {
            return notAShortString;
        }

        if (!JsonText.TryGetString(value, out var text))
        {
            return JsonText.Undecodable(prefix + property);
        }

        return text.Length <= 256 ? Result<string?>.Success(text) : notAShortString;
    }

    private static Error TooLarge(long maxBytes) =>
        Error.TooLarge("body", $"The body is larger than the limit of {maxBytes} bytes (ModelOps:Inference:MaxRequestBytes); send smaller batches.");
}
