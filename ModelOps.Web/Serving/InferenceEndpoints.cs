using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Feedback;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Web.Hosting;

namespace ModelOps.Web.Serving;

public static class InferenceEndpoints
{
    public static IEndpointRouteBuilder MapInferenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2", () => TypedResults.Ok(new ServerMetadataResponse("modelops", typeof(InferenceEndpoints).Assembly.GetName().Version?.ToString() ?? "0", [])))
            .AllowAnonymous().AddEndpointFilter<InferencePlaneFilter>().WithTags("Inference");
        var v2 = app.MapGroup("/v2/models").AllowAnonymous().AddEndpointFilter<InferencePlaneFilter>().WithTags("Inference").DisableAntiforgery();
        v2.MapGet("/{name}", MetadataAsync);
        v2.MapGet("/{name}/ready", ModelReady);
        v2.MapPost("/{name}/infer", InferAsync);

        var plane = app.MapGroup("/inference").AllowAnonymous().AddEndpointFilter<InferencePlaneFilter>().WithTags("Inference").DisableAntiforgery();
        plane.MapPost("/{name}/predict", PredictAsync);
        plane.MapPost("/feedback", FeedbackAsync);
        return app;
    }

    private static async Task<Results<Ok<ModelMetadataResponse>, ProblemHttpResult>> MetadataAsync(
        string name, RoutingTableHolder holder, SessionPool pool, RegistryCatalog catalog, CancellationToken cancellationToken)
    {
        if (holder.Current(name) is not { } table)
        {
            return TrafficRouter.NotServed(name).ToProblem();
        }

        // The signature shown is the baseline's (what most traffic sees); versions lists every routable one.
        var shown = table.BaselineVersion ?? table.RoutableVersions[0];
        var signature = pool.FindHealthy(name, shown)?.Version is { } loaded
            ? (loaded.Inputs, loaded.Outputs)
            : await catalog.GetVersionAsync(name, shown, cancellationToken) is { IsSuccess: true } found ? (found.Value.Inputs, found.Value.Outputs) : ([], []);
        return TypedResults.Ok(new ModelMetadataResponse(
            name, [.. table.RoutableVersions.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))], "onnxruntime", signature.Item1, signature.Item2, table.Generation));
    }

    private static Results<Ok, ProblemHttpResult> ModelReady(string name, RoutingTableHolder holder, SessionPool pool)
    {
        if (holder.Current(name) is not { } table)
        {
            return TrafficRouter.NotServed(name).ToProblem();
        }

        var cold = pool.ColdVersions(table);
        return cold.Count == 0
            ? TypedResults.Ok()
            : Error.Unavailable($"{name}: routed version(s) {string.Join(", ", cold)} are not loaded, still warming, or failed their health check.").ToProblem();
    }

    private static async Task<Results<Ok<InferResponse>, ProblemHttpResult>> InferAsync(
        string name, HttpContext context, ModelServer server, IOptions<ServingOptions> options, CancellationToken cancellationToken)
    {
        var json = await InferenceBodyReader.ReadJsonAsync(context.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (!json.IsSuccess)
        {
            return json.Error.ToProblem();
        }

        using var document = json.Value;
        var request = InferenceBodyReader.ReadInfer(name, document.RootElement, Header(context, "X-Routing-Key"), Header(context, "X-Region"));
        if (!request.IsSuccess)
        {
            return request.Error.ToProblem();
        }

        var result = await server.InferAsync(request.Value, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem();
        }

        var answer = result.Value;
        var version = answer.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["X-Model-Version"] = version;
        return TypedResults.Ok(new InferResponse(
            answer.Model,
            version,
            answer.RequestId,
            [.. answer.Outputs.Select(o => new InferOutput(o.Name, o.Shape, "FP32", o.Data))],
            answer.Arm.ToWire()));
    }

    private static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        string name, HttpContext context, ModelServer server, IOptions<ServingOptions> options, CancellationToken cancellationToken)
    {
        var json = await InferenceBodyReader.ReadJsonAsync(context.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (!json.IsSuccess)
        {
            return json.Error.ToProblem();
        }

        using var document = json.Value;
        var request = InferenceBodyReader.ReadPredict(name, document.RootElement, Header(context, "X-Routing-Key"), Header(context, "X-Region"));
        if (!request.IsSuccess)
        {
            return request.Error.ToProblem();
        }

        var result = await server.PredictAsync(request.Value, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem();
        }

        var p = result.Value;
        context.Response.Headers["X-Model-Version"] = p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(new PredictResponse(p.RequestId, p.Version, p.EncoderVersion, p.Score, p.Model, p.Arm.ToWire()));
    }

    private static async Task<Results<Accepted<FeedbackResponse>, ProblemHttpResult>> FeedbackAsync(
        HttpContext context, FeedbackRecorder feedback, IOptions<ServingOptions> options, CancellationToken cancellationToken)
    {
        var json = await InferenceBodyReader.ReadJsonAsync(context.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (!json.IsSuccess)
        {
            return json.Error.ToProblem();
        }

        using var document = json.Value;
        var root = document.RootElement;
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object
            || !root.TryGetProperty("requestId", out var idElement) || idElement.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            return Error.Invalid("requestId", "\"requestId\" is missing; send { \"requestId\": \"<id from predict or infer>\", \"outcome\": 1 }.").ToProblem();
        }

        if (!root.TryGetProperty("outcome", out var outcomeElement) || outcomeElement.ValueKind != System.Text.Json.JsonValueKind.Number || !outcomeElement.TryGetDouble(out var outcome))
        {
            return Error.Invalid("outcome", "\"outcome\" is missing or not a number; send e.g. 1 for a click and 0 for none.").ToProblem();
        }

        if (!JsonText.TryGetString(idElement, out var requestId))
        {
            return JsonText.Undecodable("requestId").ToProblem();
        }

        var recorded = await feedback.RecordAsync(requestId, outcome, cancellationToken);
        return recorded.IsSuccess
            ? TypedResults.Accepted((string?)null, new FeedbackResponse(requestId, recorded.Value))
            : recorded.Error.ToProblem();
    }

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 and <= 256 } text ? text : null;
}
