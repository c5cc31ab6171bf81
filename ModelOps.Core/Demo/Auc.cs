namespace ModelOps.Core.Demo;

/// <summary>Area under the ROC curve via the Mann–Whitney rank-sum statistic.</summary>
public static class Auc
{
    /// <summary>
    /// Tied scores share their average rank, so a constant scorer gets exactly 0.5. Returns NaN
    /// when either class is absent, because the AUC is undefined there, not 0 or 1.
    /// </summary>
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"There are {scores.Length} scores but {labels.Length} labels.", nameof(labels));
        }

        var order = new int[scores.Length];
        var keys = scores.ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        double positiveRankSum = 0;
        long positives = 0;
        var start = 0;
        while (start < keys.Length)
        {
            var end = start;
            while (end + 1 < keys.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            // Ranks are 1-based; the tie group start..end shares the mean of its ranks.
            var averageRank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = keys.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
