using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// A ready-made list of canary steps for the wizard: the candidate's weights in order, each baking
/// for the same time. A region-by-region template opens one region at a time (a quarter, then all
/// of it) before the candidate takes every region.
/// </summary>
public sealed record StepTemplate(string Key, string Label, IReadOnlyList<(double Weight, IReadOnlyList<string> Regions)> Weights)
{
    public const string Gradual = "gradual";
    public const string Quick = "quick";
    public const string RegionByRegion = "regions";
    public const string OneFlip = "flip";

    public IReadOnlyList<StepRequest> Steps(int bakeSeconds) =>
        [.. Weights.Select(w => new StepRequest(w.Weight, bakeSeconds, w.Regions.Count == 0 ? null : w.Regions))];

    /// <summary>The templates that fit a strategy; region-by-region only when the model knows its regions.</summary>
    public static IReadOnlyList<StepTemplate> For(string strategy, IReadOnlyList<string> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        if (strategy == "blueGreen")
        {
            return [new(OneFlip, "100 % in one flip (blue/green)", [(100, [])])];
        }

        var templates = new List<StepTemplate>
        {
            new(Gradual, "1 → 5 → 25 → 50 → 100 %", [(1, []), (5, []), (25, []), (50, []), (100, [])]),
            new(Quick, "50 → 100 %", [(50, []), (100, [])]),
        };
        if (regions.Count > 0)
        {
            var steps = regions.SelectMany(r => new (double, IReadOnlyList<string>)[] { (25, [r]), (100, [r]) }).ToList();
            steps.Add((100, []));
            templates.Add(new(RegionByRegion, $"region by region: {string.Join(" → ", regions)}, 25 % then 100 % each, then everywhere", steps));
        }

        return templates;
    }
}
