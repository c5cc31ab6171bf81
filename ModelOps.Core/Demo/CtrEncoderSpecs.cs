using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Demo;

/// <summary>
/// The two versions of the "ctr-features" encoder. Normalisation constants come from the
/// world's known ranges rather than a fit, so a spec never depends on a training sample.
/// </summary>
public static class CtrEncoderSpecs
{
    public const string Name = "ctr-features";

    /// <summary>Hour as one normalised number: cannot express an evening peak and a night trough.</summary>
    public static FeatureEncoderSpec Version1() => new(Name, 1,
    [
        new FeatureSpec { Name = ClickWorld.HourFeature, Kind = FeatureKind.Numeric, Mean = 11.5, Std = 6.9, Required = true },
        .. Shared(),
    ]);

    /// <summary>Hour as 24 one-hot buckets (which subsumes an is-night flag), so any daily shape is learnable.</summary>
    public static FeatureEncoderSpec Version2() => new(Name, 2,
    [
        new FeatureSpec
        {
            Name = ClickWorld.HourFeature,
            Kind = FeatureKind.Numeric,
            Buckets = [.. Enumerable.Range(1, 23).Select(edge => (double)edge)],
            Required = true,
        },
        .. Shared(),
    ]);

    private static FeatureSpec[] Shared() =>
    [
        new FeatureSpec { Name = ClickWorld.DeviceFeature, Kind = FeatureKind.Categorical, Vocabulary = [.. ClickWorld.Devices], Required = true },
        new FeatureSpec { Name = ClickWorld.RegionFeature, Kind = FeatureKind.Categorical, Vocabulary = [.. ClickWorld.Regions] },
        new FeatureSpec { Name = ClickWorld.ItemPopularityFeature, Kind = FeatureKind.Numeric, Mean = 0.4, Std = 0.3, Required = true },
        new FeatureSpec { Name = ClickWorld.UserTenureDaysFeature, Kind = FeatureKind.Numeric, Mean = 350, Std = 350 },
        new FeatureSpec { Name = ClickWorld.UserIdFeature, Kind = FeatureKind.Ignored, Personal = true },
    ];
}
