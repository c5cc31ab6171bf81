using ModelOps.Core.Common;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Tests.Registry.Encoding;

public sealed class FeatureEncoderTests
{
    private static FeatureEncoderSpec Spec() => new("test", 1,
    [
        new FeatureSpec { Name = "hour", Kind = FeatureKind.Numeric, Buckets = [6, 12, 18] },
        new FeatureSpec { Name = "age", Kind = FeatureKind.Numeric, Mean = 30, Std = 10, Required = true },
        new FeatureSpec { Name = "device", Kind = FeatureKind.Categorical, Vocabulary = ["mobile", "desktop"] },
        new FeatureSpec { Name = "user_id", Kind = FeatureKind.Ignored, Personal = true },
    ]);

    private static FeatureEncoder Encoder()
    {
        var created = FeatureEncoder.Create(Spec());
        Assert.True(created.IsSuccess);
        return created.Value;
    }

    private static Dictionary<string, FeatureValue> Row(double hour = 13, string device = "desktop") => new()
    {
        ["hour"] = FeatureValue.FromNumber(hour),
        ["age"] = FeatureValue.FromNumber(50),
        ["device"] = FeatureValue.FromText(device),
        ["user_id"] = FeatureValue.FromText("u1"),
    };

    [Fact]
    public void OutputWidth_BucketsNumericCategoricalIgnored_SumsSlots()
    {
        Assert.Equal(4 + 1 + 2 + 0, Encoder().OutputWidth);
    }

    [Fact]
    public void Encode_ValidRow_BucketsNormalisesAndOneHots()
    {
        var encoded = Encoder().Encode(Row());

        Assert.True(encoded.IsSuccess);
        Assert.Equal([0f, 0f, 1f, 0f, 2f, 0f, 1f], encoded.Value);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5.9, 0)]
    [InlineData(6, 1)]
    [InlineData(17.5, 2)]
    [InlineData(23, 3)]
    public void Encode_HourOnBucketEdges_UsesUpperBoundExclusive(double hour, int slot)
    {
        var encoded = Encoder().Encode(Row(hour));

        Assert.True(encoded.IsSuccess);
        Assert.Equal(1f, encoded.Value[slot]);
        Assert.Equal(1f, encoded.Value[..4].Sum());
    }

    [Fact]
    public void Encode_UnknownCategory_EncodesAllZeros()
    {
        var encoded = Encoder().Encode(Row(device: "smart-tv"));

        Assert.True(encoded.IsSuccess);
        Assert.Equal([0f, 0f], encoded.Value[5..7]);
    }

    [Fact]
    public void Encode_OptionalNumericNull_EncodesNoBucket()
    {
        var row = Row();
        row["hour"] = FeatureValue.Null;

        var encoded = Encoder().Encode(row);

        Assert.True(encoded.IsSuccess);
        Assert.Equal([0f, 0f, 0f, 0f], encoded.Value[..4]);
    }

    public static TheoryData<string, string, string> BadRows() => new()
    {
        { "unknown", "extra", "not in encoder" },
        { "missing", "age", "missing" },
        { "string-for-numeric", "age", "send a number" },
        { "number-for-categorical", "device", "send one of its categories" },
        { "nan", "age", "finite" },
        { "infinity", "age", "finite" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Encode_BadFeature_InvalidNamingTheFeature(string scenario, string feature, string fix)
    {
        var row = Row();
        switch (scenario)
        {
            case "unknown": row["extra"] = FeatureValue.FromNumber(1); break;
            case "missing": row.Remove("age"); break;
            case "string-for-numeric": row["age"] = FeatureValue.FromText("old"); break;
            case "number-for-categorical": row["device"] = FeatureValue.FromNumber(1); break;
            case "nan": row["age"] = FeatureValue.FromNumber(double.NaN); break;
            default: row["age"] = FeatureValue.FromNumber(double.PositiveInfinity); break;
        }

        var encoded = Encoder().Encode(row);

        Assert.False(encoded.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, encoded.Error.Kind);
        Assert.Equal($"features.{feature}", encoded.Error.Field);
        Assert.Contains($"'{feature}'", encoded.Error.Detail, StringComparison.Ordinal);
        Assert.Contains(fix, encoded.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeInto_ValidRow_MatchesEncode()
    {
        var encoder = Encoder();
        var destination = new float[encoder.OutputWidth];

        var written = encoder.EncodeInto(Row(), destination);

        Assert.Equal(encoder.OutputWidth, written.Value);
        Assert.Equal(encoder.Encode(Row()).Value, destination);
    }

    [Fact]
    public void Validate_NonPositiveStd_InvalidNamingFeature()
    {
        var spec = new FeatureEncoderSpec("test", 1, [new FeatureSpec { Name = "age", Kind = FeatureKind.Numeric, Std = 0 }]);

        var validated = spec.Validate();

        Assert.False(validated.IsSuccess);
        Assert.Contains("'age'", validated.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RoundTrippedSpec_SameWidth()
    {
        var parsed = FeatureEncoderSpec.Parse(Spec().ToJson());

        Assert.True(parsed.IsSuccess);
        Assert.Equal(Spec().OutputWidth, parsed.Value.OutputWidth);
        Assert.Equal(FeatureKind.Categorical, parsed.Value.Features[2].Kind);
    }

    [Fact]
    public void Parse_BrokenJson_InvalidOnSpecField()
    {
        var parsed = FeatureEncoderSpec.Parse("{ not json");

        Assert.False(parsed.IsSuccess);
        Assert.Equal("spec", parsed.Error.Field);
    }
}
