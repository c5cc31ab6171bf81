using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Preflight;

namespace ModelOps.Tests.Rollouts.Preflight;

public sealed class PreflightRulesTests
{
    private static readonly FeatureEncoderSpec Sent = new("f", 1,
    [
        new FeatureSpec { Name = "age", Kind = FeatureKind.Numeric, Mean = 40, Std = 10, Required = true },
        new FeatureSpec { Name = "country", Kind = FeatureKind.Categorical, Vocabulary = ["de"] },
    ]);

    [Fact]
    public void Encoder_CandidateRequiresAFeatureCallersDoNotSend_FailsNamingIt()
    {
        var needsMore = new FeatureEncoderSpec("f", 2, [.. Sent.Features, new FeatureSpec { Name = "tenure", Kind = FeatureKind.Numeric, Mean = 1, Std = 1, Required = true }]);

        var check = PreflightRules.Encoder(Version(3, "f@2"), Version(2, "f@1"), new Dictionary<string, FeatureEncoderSpec> { ["f@1"] = Sent, ["f@2"] = needsMore });

        Assert.False(check.Ok);
        Assert.Contains("tenure", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoder_CandidateWithoutEncoderWhileCallersSendFeatures_Fails()
    {
        var check = PreflightRules.Encoder(Version(3, null), Version(2, "f@1"), new Dictionary<string, FeatureEncoderSpec> { ["f@1"] = Sent });

        Assert.False(check.Ok);
    }

    [Fact]
    public void Encoder_OptionalExtraFeature_Passes()
    {
        var optionalExtra = new FeatureEncoderSpec("f", 2, [.. Sent.Features, new FeatureSpec { Name = "tenure", Kind = FeatureKind.Numeric, Mean = 1, Std = 1 }]);

        var check = PreflightRules.Encoder(Version(3, "f@2"), Version(2, "f@1"), new Dictionary<string, FeatureEncoderSpec> { ["f@1"] = Sent, ["f@2"] = optionalExtra });

        Assert.True(check.Ok, check.Detail);
    }

    [Fact]
    public void Frozen_VersionFrozenByAnIncident_Fails()
    {
        Assert.False(PreflightRules.Frozen(Version(3, "f@1") with { Frozen = true }).Ok);
        Assert.True(PreflightRules.Frozen(Version(3, "f@1")).Ok);
    }

    [Fact]
    public void Signature_DifferentInputWidth_FailsShowingBoth()
    {
        var narrow = Version(1, "f@1") with { Inputs = [new TensorSpec("input", "FP32", [-1, 9])] };

        var check = PreflightRules.Signature(narrow, Version(2, "f@1"));

        Assert.False(check.Ok);
        Assert.Contains("[-1,9]", check.Detail, StringComparison.Ordinal);
        Assert.Contains("[-1,32]", check.Detail, StringComparison.Ordinal);
    }

    private static ModelVersionView Version(int version, string? encoder) => new(
        "m", version, $"sha256:{version}", [new TensorSpec("input", "FP32", [-1, 32])], [new TensorSpec("score", "FP32", [-1, 1])],
        null, null, encoder, new Dictionary<string, double> { ["auc"] = 0.7 }, DateTimeOffset.UnixEpoch, "test", null, 1, false, false);
}
