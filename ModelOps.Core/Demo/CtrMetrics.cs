namespace ModelOps.Core.Demo;

/// <summary>The holdout metrics every demo version reports, overall and per segment.</summary>
public static class CtrMetrics
{
    public const string AucOverall = "auc";
    public const string AucDay = "auc_day";
    public const string AucNight = "auc_night";
    public const string LogLoss = "log_loss";

    public static string AucForDevice(string device) => $"auc_{device}";

    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<LabeledImpression> holdout, double[] scores)
    {
        var labels = holdout.Select(row => row.Clicked).ToArray();
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [AucOverall] = Auc.Compute(scores, labels),
            [AucDay] = SegmentAuc(holdout, scores, row => !ClickWorld.IsNight(row.Impression.Hour)),
            [AucNight] = SegmentAuc(holdout, scores, row => ClickWorld.IsNight(row.Impression.Hour)),
            [LogLoss] = MeanLogLoss(scores, labels),
        };
        foreach (var device in ClickWorld.Devices)
        {
            metrics[AucForDevice(device)] = SegmentAuc(holdout, scores, row => row.Impression.Device == device);
        }

        return metrics;
    }

    public static double MeanLogLoss(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        // Clamped so one confident miss costs a large but finite amount.
        const double epsilon = 1e-15;
        var total = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = Math.Clamp(scores[i], epsilon, 1 - epsilon);
            total -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return total / scores.Length;
    }

    private static double SegmentAuc(IReadOnlyList<LabeledImpression> holdout, double[] scores, Func<LabeledImpression, bool> inSegment)
    {
        var segmentScores = new List<double>();
        var segmentLabels = new List<bool>();
        for (var i = 0; i < holdout.Count; i++)
        {
            if (inSegment(holdout[i]))
            {
                segmentScores.Add(scores[i]);
                segmentLabels.Add(holdout[i].Clicked);
            }
        }

        return Auc.Compute([.. segmentScores], [.. segmentLabels]);
    }
}
