using System.Text.Json;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Tests.Serving.Log;

public sealed class PersonalDataMaskTests
{
    [Fact]
    public void ToJson_PersonalFeature_WritesMaskInsteadOfValue()
    {
        var json = PersonalDataMask.ToJson(Features(("email", FeatureValue.FromText("ada@example.com"))), LogRecords.Spec);

        Assert.Equal("""{"email":"***"}""", json);
    }

    [Fact]
    public void ToJson_PersonalFeatureNull_StillWritesMask()
    {
        var json = PersonalDataMask.ToJson(Features(("email", FeatureValue.Null)), LogRecords.Spec);

        Assert.Equal("""{"email":"***"}""", json);
    }

    [Fact]
    public void ToJson_NonPersonalFeatures_WritesNumberTextAndNull()
    {
        var json = PersonalDataMask.ToJson(
            Features(("age", FeatureValue.FromNumber(31.5)), ("country", FeatureValue.FromText("de")), ("extra", FeatureValue.Null)),
            LogRecords.Spec);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(31.5, document.RootElement.GetProperty("age").GetDouble());
        Assert.Equal("de", document.RootElement.GetProperty("country").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("extra").ValueKind);
    }

    [Fact]
    public void ToJson_NoEncoderSpec_MasksNothing()
    {
        var json = PersonalDataMask.ToJson(Features(("email", FeatureValue.FromText("ada@example.com"))), spec: null);

        Assert.Equal("""{"email":"ada@example.com"}""", json);
    }

    [Theory]
    [InlineData("email", true)]
    [InlineData("Email", false)]
    [InlineData("age", false)]
    [InlineData("unknown", false)]
    public void IsPersonal_FeatureName_MatchesSpecFlagOrdinally(string feature, bool personal) =>
        Assert.Equal(personal, PersonalDataMask.IsPersonal(LogRecords.Spec, feature));

    private static Dictionary<string, FeatureValue> Features(params (string Name, FeatureValue Value)[] features) =>
        features.ToDictionary(f => f.Name, f => f.Value);
}
