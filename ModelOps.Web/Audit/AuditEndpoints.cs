using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").RequireAuthorization(Policies.Reviewer).WithTags("Audit");
        group.MapGet("/", ListAsync);
        group.MapGet("/export", ExportAsync);
        group.MapGet("/verify", VerifyAsync);
        // A read: a witness checks the chain against a checkpoint it kept; nothing changes.
        group.MapPost("/verify", VerifyAgainstAsync);
        group.MapGet("/checkpoints/latest", LatestCheckpointAsync);
        // The console downloads exports with its cookie; /api only takes bearer tokens.
        app.MapGet("/console/audit/export", ExportAsync).RequireAuthorization(Policies.Reviewer).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<IEnumerable<AuditEntryView>>, ProblemHttpResult>> ListAsync(
        HttpRequest request, AuditLog log, int? skip, int? take, CancellationToken cancellationToken)
    {
        if (ParseQuery(request) is not { } query)
        {
            return InvalidTime();
        }

        var page = await log.QueryAsync(query with { Skip = skip ?? 0, Take = take ?? 100 }, cancellationToken);
        return TypedResults.Ok(page.Rows.Select(AuditEntryView.From));
    }

    private static async Task<IResult> ExportAsync(HttpContext context, AuditLog log, string? format, CancellationToken cancellationToken)
    {
        if (format is not ("csv" or "json"))
        {
            return TypedResults.Problem(
                $"Query parameter 'format' must be 'csv' or 'json' (got '{format}').",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid request",
                extensions: new Dictionary<string, object?> { ["field"] = "format" });
        }

        if (ParseQuery(context.Request) is not { } query)
        {
            return InvalidTime();
        }

        var response = context.Response;
        response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"modelops-audit.{format}\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false));
        var first = true;
        await writer.WriteAsync(format == "csv" ? AuditCsv.Header + "\n" : "[");
        await foreach (var entry in log.StreamAsync(query).WithCancellation(cancellationToken))
        {
            if (format == "csv")
            {
                await writer.WriteAsync(AuditCsv.Row(entry) + "\n");
            }
            else
            {
                await writer.WriteAsync((first ? string.Empty : ",") + JsonSerializer.Serialize(AuditEntryView.From(entry), JsonSerializerOptions.Web));
            }

            first = false;
        }

        if (format == "json")
        {
            await writer.WriteAsync("]");
        }

        return TypedResults.Empty;
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(AuditIntegrity integrity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await integrity.VerifyAsync(cancellationToken));

    private static async Task<Results<Ok<AuditVerification>, ProblemHttpResult>> VerifyAgainstAsync(
        HttpRequest request, AuditIntegrity integrity, CancellationToken cancellationToken)
    {
        var body = await CheckpointBody.ReadAsync(request, cancellationToken);
        if (!body.IsSuccess)
        {
            return body.Error.ToProblem();
        }

        var verification = await integrity.VerifyAsync(body.Value, cancellationToken);
        return verification.IsSuccess ? TypedResults.Ok(verification.Value) : verification.Error.ToProblem();
    }

    private static async Task<Results<Ok<AuditCheckpointView>, ProblemHttpResult>> LatestCheckpointAsync(
        AuditIntegrity integrity, CancellationToken cancellationToken)
    {
        var latest = await integrity.LatestAsync(cancellationToken);
        return latest.IsSuccess ? TypedResults.Ok(AuditCheckpointView.From(latest.Value)) : latest.Error.ToProblem();
    }

    private static AuditQuery? ParseQuery(HttpRequest request)
    {
        var q = request.Query;
        DateTimeOffset? from = null, to = null;
        if (q.TryGetValue("from", out var f) && !TryTime(f, out from))
        {
            return null;
        }

        if (q.TryGetValue("to", out var t) && !TryTime(t, out to))
        {
            return null;
        }

        return new AuditQuery(q["model"], q["actor"], q["action"], from, to);
    }

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed);
        value = ok ? parsed : null;
        return ok;
    }

    private static ProblemHttpResult InvalidTime() => TypedResults.Problem(
        "Query parameters 'from' and 'to' must be ISO-8601 times, e.g. 2026-11-23T12:00:00Z.",
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid request",
        extensions: new Dictionary<string, object?> { ["field"] = "from/to" });
}
