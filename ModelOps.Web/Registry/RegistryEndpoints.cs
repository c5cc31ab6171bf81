using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ModelOps.Core.Common;
using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Stability;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Registry;

public static class RegistryEndpoints
{
    public static IEndpointRouteBuilder MapRegistryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").RequireAuthorization(Policies.Reviewer).WithTags("Registry");
        group.MapGet("/", ListModelsAsync);
        group.MapGet("/{name}/versions", ListVersionsAsync);
        group.MapPost("/{name}/versions", RegisterVersionAsync).RequireAuthorization(Policies.Operator).DisableAntiforgery();
        group.MapGet("/{name}/versions/{version:int}", GetVersionAsync);
        group.MapGet("/{name}/versions/{version:int}/artifact", GetArtifactAsync);
        group.MapDelete("/{name}/versions/{version:int}", DeleteVersionAsync).RequireAuthorization(Policies.Operator);
        group.MapPut("/{name}/aliases/{alias}", MoveAliasAsync).RequireAuthorization(Policies.Operator);
        group.MapGet("/{name}/aliases/{alias}/history", AliasHistoryAsync);
        group.MapGet("/{name}/stability", StabilityAsync);
        app.MapPost("/api/encoders", RegisterEncoderAsync).RequireAuthorization(Policies.Operator).WithTags("Registry");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ModelSummary>>> ListModelsAsync(RegistryCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListModelsAsync(cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<ModelVersionView>>, ProblemHttpResult>> ListVersionsAsync(string name, RegistryCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.ListVersionsAsync(name, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
    }

    private static async Task<Results<Created<ModelVersionView>, Ok<ModelVersionView>, ProblemHttpResult>> RegisterVersionAsync(
        string name, HttpRequest request, ModelRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return Error.Invalid("artifact", "Send multipart/form-data with the .onnx file in a part named 'artifact'.").ToProblem();
        }

        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Files.GetFile("artifact") is not { } artifact)
        {
            return Error.Invalid("artifact", "The multipart part 'artifact' (the .onnx file) is missing.").ToProblem();
        }

        var registration = new VersionRegistration(
            form["trainingRunId"].FirstOrDefault(),
            form["datasetHash"].FirstOrDefault(),
            form["encoderVersion"].FirstOrDefault(),
            form["description"].FirstOrDefault(),
            form["metrics"].FirstOrDefault(),
            form["decisionThreshold"].FirstOrDefault());
        await using var stream = artifact.OpenReadStream();
        var result = await registry.RegisterVersionAsync(name, stream, registration, Actor(user), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem();
        }

        var view = result.Value.Version;
        return result.Value.Created
            ? TypedResults.Created($"/api/models/{view.Name}/versions/{view.Version}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<ModelVersionView>, ProblemHttpResult>> GetVersionAsync(string name, int version, RegistryCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.GetVersionAsync(name, version, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetArtifactAsync(string name, int version, RegistryCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.OpenArtifactAsync(name, version, cancellationToken);
        return result.IsSuccess
            ? TypedResults.File(result.Value, "application/octet-stream", $"{name}-v{version}.onnx")
            : result.Error.ToProblem();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteVersionAsync(string name, int version, ModelRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await registry.DeleteVersionAsync(name, version, Actor(user), cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : result.Error.ToProblem();
    }

    private static async Task<Results<Ok<AliasMoveView>, ProblemHttpResult>> MoveAliasAsync(
        string name, string alias, MoveAliasRequest request, ModelRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.Version is not { } version)
        {
            return Error.Invalid("version", "'version' is required: the version number the alias should point at.").ToProblem();
        }

        var result = await registry.MoveAliasAsync(name, alias, version, request.Reason, Actor(user), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
    }

    private static async Task<Results<Ok<IReadOnlyList<AliasMoveView>>, ProblemHttpResult>> AliasHistoryAsync(string name, string alias, RegistryCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.AliasHistoryAsync(name, alias, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
    }

    /// <summary>Rollbacks in the anti-flapping period and the chronic-failure flag (null unless flagged).</summary>
    private static async Task<Results<Ok<ModelStability>, ProblemHttpResult>> StabilityAsync(string name, ChronicFailures chronicFailures, CancellationToken cancellationToken)
    {
        var result = await chronicFailures.StabilityAsync(name, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
    }

    private static async Task<Results<Ok<FeatureEncoderVersion>, ProblemHttpResult>> RegisterEncoderAsync(
        [FromBody] JsonElement body, ModelRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var spec = FeatureEncoderSpec.Parse(body);
        if (!spec.IsSuccess)
        {
            return spec.Error.ToProblem();
        }

        var result = await registry.RegisterEncoderAsync(spec.Value, Actor(user), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
