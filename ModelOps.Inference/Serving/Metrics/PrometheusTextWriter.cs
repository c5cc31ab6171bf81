using System.Globalization;
using System.Text.RegularExpressions;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// Prometheus text exposition format 0.0.4: one HELP and TYPE line per family, counters end
/// in <c>_total</c>, histograms carry cumulative <c>le</c> buckets ending in <c>+Inf</c> plus
/// <c>_sum</c> and <c>_count</c>; label values escape backslash, quote and newline.
/// Lines end in <c>\n</c> on every OS, as the format requires. Other components append their own
/// families with <see cref="WriteFamilyHeader"/> and <see cref="WriteSample"/>.
/// </summary>
public static partial class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The serving families, then each of <paramref name="families"/> in order.</summary>
    public static string Write(IReadOnlyList<SeriesTotals> totals, params IEnumerable<Action<TextWriter>> families)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        WriteServing(text, totals);
        foreach (var family in families)
        {
            family(text);
        }

        return text.ToString();
    }

    public static void WriteServing(TextWriter writer, IReadOnlyList<SeriesTotals> totals)
    {
        WriteFamilyHeader(writer, "modelops_inference_requests_total", "counter", "Inference requests served, by model version, arm and status.");
        foreach (var series in totals)
        {
            foreach (var (status, count) in new[] { (RequestStatus.Ok, series.Ok), (RequestStatus.Error, series.Errors), (RequestStatus.Timeout, series.Timeouts), (RequestStatus.Fallback, series.Fallbacks) })
            {
                Line(writer, "modelops_inference_requests_total", $"{Labels(series)},status=\"{status.ToWire()}\"", Count(count));
            }
        }

        WriteFamilyHeader(writer, "modelops_inference_latency_seconds", "histogram", "Inference latency inside the serving path.");
        foreach (var series in totals)
        {
            var labels = Labels(series);
            for (var i = 0; i < SeriesTotals.LatencyBucketsSeconds.Count; i++)
            {
                Line(writer, "modelops_inference_latency_seconds_bucket", $"{labels},le=\"{Number(SeriesTotals.LatencyBucketsSeconds[i])}\"", Count(series.LatencyBucketCounts[i]));
            }

            Line(writer, "modelops_inference_latency_seconds_bucket", $"{labels},le=\"+Inf\"", Count(series.Requests));
            Line(writer, "modelops_inference_latency_seconds_sum", labels, Number(series.LatencySumSeconds));
            Line(writer, "modelops_inference_latency_seconds_count", labels, Count(series.Requests));
        }

        WriteFamilyHeader(writer, "modelops_inference_feedback_outcomes_total", "counter", "Outcome feedback received, by model version and arm.");
        foreach (var series in totals)
        {
            Line(writer, "modelops_inference_feedback_outcomes_total", Labels(series), Count(series.OutcomeCount));
        }

        WriteFamilyHeader(writer, "modelops_inference_feedback_outcome_sum_total", "counter", "Sum of feedback outcome values (the KPI numerator).");
        foreach (var series in totals)
        {
            Line(writer, "modelops_inference_feedback_outcome_sum_total", Labels(series), Number(series.OutcomeSum));
        }
    }

    /// <summary>The HELP and TYPE lines that open a family; write each family once, its samples right after.</summary>
    /// <param name="type">counter, gauge, histogram, summary or untyped.</param>
    public static void WriteFamilyHeader(TextWriter writer, string name, string type, string help)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckName(name);
        if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
        {
            throw new ArgumentException($"'{type}' is not a Prometheus metric type.", nameof(type));
        }

        // HELP escapes only backslash and newline; quotes are literal there.
        writer.Write($"# HELP {name} {help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\n");
        writer.Write($"# TYPE {name} {type}\n");
    }

    /// <summary>One sample line; <paramref name="labels"/> may be empty, their values are escaped here.</summary>
    public static void WriteSample(TextWriter writer, string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(labels);
        CheckName(name);
        var text = string.Join(",", labels.Select(l => $"{CheckLabel(l.Key)}=\"{Escape(l.Value)}\""));
        Line(writer, name, text, Number(value));
    }

    /// <summary>A whole single-sample gauge family.</summary>
    public static void WriteGauge(TextWriter writer, string name, string help, double value) =>
        WriteFamily(writer, name, "gauge", help, [([], value)]);

    /// <summary>A whole single-sample counter family.</summary>
    public static void WriteCounter(TextWriter writer, string name, string help, double value) =>
        WriteFamily(writer, name, "counter", help, [([], value)]);

    /// <summary>A whole family: its header, then one sample per labelled value.</summary>
    public static void WriteFamily(
        TextWriter writer,
        string name,
        string type,
        string help,
        IEnumerable<(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        WriteFamilyHeader(writer, name, type, help);
        foreach (var (labels, value) in samples)
        {
            WriteSample(writer, name, labels, value);
        }
    }

    private static void Line(TextWriter writer, string name, string labels, string value)
    {
        writer.Write(name);
        if (labels.Length > 0)
        {
            writer.Write('{');
            writer.Write(labels);
            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(value);
        writer.Write('\n');
    }

    private static string Labels(SeriesTotals series) =>
        $"model=\"{Escape(series.Key.Model)}\",version=\"{series.Key.Version.ToString(CultureInfo.InvariantCulture)}\",arm=\"{series.Key.Arm.ToWire()}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    // The format spells the non-finite values +Inf, -Inf and NaN, not .NET's symbols.
    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void CheckName(string name)
    {
        if (!MetricName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).", nameof(name));
        }
    }

    private static string CheckLabel(string label) =>
        LabelName().IsMatch(label) && !label.StartsWith("__", StringComparison.Ordinal)
            ? label
            : throw new ArgumentException($"'{label}' is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __).", nameof(label));

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
