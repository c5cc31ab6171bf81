using System.Diagnostics;
using ModelOps.Core.Common;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Replay;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>
/// Exports an incident as a self-contained report: reads it as the API shows it, with its series,
/// builds the document and writes it in the asked format. Rendering runs per request on the
/// request's thread (a report is read by a person, not polled), never on a serving or judging path.
/// </summary>
public sealed partial class IncidentReports(IncidentService incidents, ReplayService replays, ILogger<IncidentReports> logger)
{
    public async Task<Result<IncidentReportFile>> ExportAsync(string id, IncidentReportFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (await incidents.FindAsync(id, cancellationToken) is not { } incident)
        {
            return Error.NotFound($"No incident '{id}'; GET /api/incidents lists them.");
        }

        var followUp = (await incidents.FollowUpsAsync([incident], withSeries: true, cancellationToken))[incident.Id];
        var replay = (await replays.LatestAsync([incident.Id], cancellationToken)).GetValueOrDefault(incident.Id);
        var view = IncidentView.From(incident, await incidents.TimelineAsync(incident, cancellationToken), followUp, replay);
        var started = Stopwatch.GetTimestamp();
        var document = IncidentReportBuilder.Build(view, followUp.Buckets ?? []);
        var text = format == IncidentReportFormat.Html ? HtmlReportWriter.Write(document) : MarkdownReportWriter.Write(document);
        Log.Rendered(logger, incident.Id, format.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, text.Length);
        return new IncidentReportFile(text, format.ContentType, $"{incident.Id}.{format.Extension}");
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId}: {Format} report rendered in {ElapsedMs:F0} ms ({Chars} chars)")]
        public static partial void Rendered(ILogger logger, string incidentId, string format, double elapsedMs, int chars);
    }
}
