using ModelOps.Benchmarks.Serving;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>What the rollback cycles measured: per completed cycle the engine's, the outside and the whole-call milliseconds; refusals with the first few reasons.</summary>
public sealed class Cycles(int capacity)
{
    private const int ReasonsKept = 3;

    private readonly List<double> _engine = new(capacity);
    private readonly List<double> _outside = new(capacity);
    private readonly List<double> _call = new(capacity);
    private readonly List<string> _reasons = [];

    public int Done => _engine.Count;

    public int Refused { get; private set; }

    public void Add(double engineMs, double outsideMs, double callMs)
    {
        _engine.Add(engineMs);
        _outside.Add(outsideMs);
        _call.Add(callMs);
    }

    public void Refuse(string reason)
    {
        Refused++;
        if (_reasons.Count < ReasonsKept)
        {
            _reasons.Add(reason);
            Console.WriteLine($"  refused: {reason}");
        }
    }

    public string Describe() => _reasons.Count == 0 ? string.Empty : $" (first: {_reasons[0]})";

    public LatencySummary Engine() => Summary(_engine);

    public LatencySummary Outside() => Summary(_outside);

    public LatencySummary Call() => Summary(_call);

    public static LatencySummary Summary(IReadOnlyList<double> milliseconds) =>
        LatencySummary.FromTicks([[.. milliseconds.Select(ms => (long)(ms * System.Diagnostics.Stopwatch.Frequency / 1000.0))]]);
}
