using ModelOps.Core.Common;
using ModelOps.Inference.Serving.Chaos;

namespace ModelOps.Tests.Serving.Chaos;

public sealed class ChaosFaultTests
{
    [Theory]
    [InlineData(-1, 0, 1, "addedLatencyMs")]
    [InlineData(60_000.5, 0, 1, "addedLatencyMs")]
    [InlineData(double.NaN, 0, 1, "addedLatencyMs")]
    [InlineData(0, -0.01, 1, "errorRate")]
    [InlineData(0, 1.5, 1, "errorRate")]
    [InlineData(0, double.NaN, 1, "errorRate")]
    [InlineData(0, 0, -0.1, "kpiFactor")]
    [InlineData(0, 0, 10.5, "kpiFactor")]
    [InlineData(0, 0, double.PositiveInfinity, "kpiFactor")]
    public void Create_EffectOutOfRange_IsInvalidNamingTheField(double addedLatencyMs, double errorRate, double kpiFactor, string field)
    {
        var result = ChaosFault.Create("ctr-ranker", 2, addedLatencyMs, errorRate, kpiFactor);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, result.Error.Kind);
        Assert.Equal(field, result.Error.Field);
        Assert.Contains(field, result.Error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 1, "model")]
    [InlineData(" ", 1, "model")]
    [InlineData("ctr-ranker", 0, "version")]
    public void Create_MissingTarget_IsInvalidNamingTheField(string? model, int version, string field)
    {
        var result = ChaosFault.Create(model, version);

        Assert.Equal(field, result.Error?.Field);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(60_000, 1, 10)]
    [InlineData(250, 0.05, 0.8)]
    public void Create_EffectsWithinBounds_Succeeds(double addedLatencyMs, double errorRate, double kpiFactor)
    {
        var result = ChaosFault.Create("ctr-ranker", 2, addedLatencyMs, errorRate, kpiFactor);

        Assert.True(result.IsSuccess);
        Assert.Equal((addedLatencyMs, errorRate, kpiFactor), (result.Value.AddedLatencyMs, result.Value.ErrorRate, result.Value.KpiFactor));
    }

    [Fact]
    public void Create_EffectsOmitted_AreNeutral()
    {
        var fault = ChaosFault.Create("ctr-ranker", 2).Value!; // Valid arguments.

        Assert.Equal((0.0, 0.0, 1.0), (fault.AddedLatencyMs, fault.ErrorRate, fault.KpiFactor));
    }
}
