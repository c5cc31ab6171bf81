using MathNet.Numerics.Distributions;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// Generates one rollout's traffic second by second from its own seeded <see cref="Random"/>:
/// Poisson arrivals, routing by weight, the candidate's shift, and clicks that land after an
/// exponential delay and count at the end of the request's attribution window.
/// </summary>
internal sealed class TrafficGenerator(Random random, double weight, CandidateShift shift, int horizonSeconds)
{
    private static readonly double Mu = Math.Log(SimulatedWorld.MedianLatencyMs);

    // Outcomes land at t + attribution; both arrays cover the horizon plus that delay.
    private readonly int[] _attributed = new int[((horizonSeconds + SimulatedWorld.AttributionSeconds + 2) * 2 * SimulatedWorld.Segments)];
    private readonly int[] _clicked = new int[((horizonSeconds + SimulatedWorld.AttributionSeconds + 2) * 2 * SimulatedWorld.Segments)];

    public void Next(int second, SimulatedBucket baseline, SimulatedBucket candidate)
    {
        baseline.Clear();
        candidate.Clear();
        var requests = Poisson.Sample(random, SimulatedWorld.RequestsPerSecond);
        for (var i = 0; i < requests; i++)
        {
            var toCandidate = random.NextDouble() < weight && !(shift.FallbackShare > 0 && random.NextDouble() < shift.FallbackShare);
            var segment = (i + second) % SimulatedWorld.Segments;
            if (toCandidate)
            {
                Serve(second, candidate, 1, shift, segment);
            }
            else
            {
                Serve(second, baseline, 0, CandidateShift.Identical, segment);
            }
        }

        for (var segment = 0; segment < SimulatedWorld.Segments; segment++)
        {
            Attribute(baseline, Slot(second, 0, segment), segment);
            Attribute(candidate, Slot(second, 1, segment), segment);
        }
    }

    private static int Slot(int second, int arm, int segment) => (((second * 2) + arm) * SimulatedWorld.Segments) + segment;

    private void Attribute(SimulatedBucket bucket, int slot, int segment)
    {
        bucket.KpiCountBySegment[segment] = _attributed[slot];
        bucket.KpiSumBySegment[segment] = _clicked[slot];
        bucket.KpiCount += _attributed[slot];
        bucket.KpiSum += _clicked[slot];
    }

    private void Serve(int second, SimulatedBucket bucket, int arm, CandidateShift s, int segment)
    {
        bucket.Requests++;
        if (bucket.Kept < SimulatedWorld.SamplesPerBucket)
        {
            var latency = Math.Exp(Mu + (SimulatedWorld.LatencySigma * Normal.Sample(random, 0, 1))) * s.LatencyScale;
            if (s.TailShare > 0 && random.NextDouble() < s.TailShare)
            {
                latency *= s.TailFactor;
            }

            bucket.Latencies[bucket.Kept++] = latency;
        }

        var status = random.NextDouble();
        var errorRate = SimulatedWorld.ErrorRate + s.ErrorIncrease;
        if (status < errorRate)
        {
            bucket.Errors++;
        }
        else if (status < errorRate + SimulatedWorld.TimeoutRate + s.TimeoutIncrease)
        {
            bucket.Timeouts++;
        }

        var slot = Slot(second + SimulatedWorld.AttributionSeconds, arm, segment);
        _attributed[slot]++;
        var kpiFactor = s.KpiInOneSegment && segment != 0 ? 1 : s.KpiFactor;
        if (random.NextDouble() < SimulatedWorld.ClickThrough * kpiFactor
            && Exponential.Sample(random, 1 / SimulatedWorld.ClickDelayMeanSeconds) <= SimulatedWorld.AttributionSeconds)
        {
            _clicked[slot]++;
        }

        // One uniform decides null or, rescaled, the (equiprobable) bin.
        bucket.FeatureObservations++;
        var nullRate = SimulatedWorld.NullRate + s.NullIncrease;
        var feature = random.NextDouble();
        if (feature < nullRate)
        {
            bucket.FeatureNulls++;
        }
        else
        {
            bucket.FeatureBins[Math.Min((int)((feature - nullRate) / (1 - nullRate) * SimulatedWorld.Bins), SimulatedWorld.Bins - 1)]++;
        }

        bucket.ScoreBins[random.Next(SimulatedWorld.Bins)]++;
    }
}
