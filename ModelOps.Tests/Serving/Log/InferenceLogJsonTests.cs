using ModelOps.Inference.Serving.Log;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogJsonTests
{
    [Fact]
    public void WriteFloats_WholeFractionalAndNonFinite_WritesShortestTextAndNulls()
    {
        var json = Write([0f, 1f, -3f, 0.1f, -1.5e-7f, float.NaN, float.PositiveInfinity, 3e9f]);

        Assert.Equal("[0,1,-3,0.1,-1.5E-07,null,null,3E+09]", json);
    }

    [Fact]
    public void ParseFloats_WrittenArray_RoundTripsWithNullsAsNaN()
    {
        float[] values = [0f, 1f, 0.1f, -0.27272728f, float.NaN, 123456.79f];

        var parsed = InferenceLogJson.ParseFloats(Write(values));

        Assert.Equal(values, parsed);
    }

    private static string Write(float[] values)
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            InferenceLogJson.WriteFloats(writer, values);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
