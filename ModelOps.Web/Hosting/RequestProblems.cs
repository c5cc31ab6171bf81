using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ModelOps.Core.Common;

namespace ModelOps.Web.Hosting;

/// <summary>
/// Recognises the exceptions a client's request (not a bug) causes while minimal APIs bind it,
/// and says what to fix: the field (JSON path) or, when none can be named, the byte offset.
/// Every other exception is left to the caller as a 500.
/// </summary>
internal static class RequestProblems
{
    public static ProblemDetails? From(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } bad => Json(json, bad.StatusCode),
        BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad when bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
            Problem(StatusCodes.Status400BadRequest, "The body is empty; send a JSON object as the API contract shows."), // the framework's message speaks to developers
        BadHttpRequestException bad => Problem(bad.StatusCode, $"{bad.Message} Check the request against the API contract."),

        // System.Text.Json decodes a string only when a handler reads it; text that is not UTF-8
        // then throws this InvalidOperationException (JsonText guards the known readers; this
        // catches any handler added later).
        InvalidOperationException { InnerException: DecoderFallbackException } =>
            Problem(StatusCodes.Status400BadRequest, "The body holds text that is not valid UTF-8; send the body as UTF-8 JSON."),

        // ReadFromJsonAsync throws for a Content-Type charset Encoding.GetEncoding does not know.
        InvalidOperationException { InnerException: ArgumentException } when exception.TargetSite?.DeclaringType == typeof(HttpRequestJsonExtensions) =>
            Problem(StatusCodes.Status415UnsupportedMediaType, "The charset in Content-Type is not an encoding this server knows; send the body as UTF-8 with Content-Type: application/json."),
        _ => null,
    };

    private static ProblemDetails Json(JsonException json, int status)
    {
        var field = JsonText.Field(json.Path);
        var where = $"line {json.LineNumber + 1}, byte {json.BytePositionInLine}";
        var problem = Problem(
            status,
            field is null
                ? $"The JSON body cannot be read at {where}: {JsonText.Describe(json)}. Send UTF-8 JSON matching the API contract."
                : $"The JSON body cannot be read at '{field}' ({where}): {JsonText.Describe(json)}. Send UTF-8 JSON matching the API contract.");
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        // On the first line the position in the line is the offset in the body (compact JSON is one line).
        if (json.LineNumber == 0 && json.BytePositionInLine is { } offset)
        {
            problem.Extensions["offset"] = offset;
        }

        return problem;
    }

    private static ProblemDetails Problem(int status, string detail) => new() { Status = status, Detail = detail, Title = "Invalid request" };
}
