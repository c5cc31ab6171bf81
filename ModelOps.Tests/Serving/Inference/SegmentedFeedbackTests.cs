using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Tests.Serving.Inference;

/// <summary>
/// Through the real app: once a segmented KPI guardrail tracks a model's dimension, an outcome posted
/// as feedback counts in the segment its request was served in (the encoder's hour bucket), beside
/// the pooled KPI.
/// </summary>
public sealed class SegmentedFeedbackTests(InferenceAppFixture app) : IClassFixture<InferenceAppFixture>
{
    [Fact]
    public async Task Feedback_TrackedDimension_CountsInTheRequestsHourBucket()
    {
        var store = app.Factory.Services.GetRequiredService<ServingMetricsStore>();
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        store.Segments.Track("ctr-ranker", "feature.hour");

        var night = await ServeWithOutcomeAsync(hour: 2, outcome: 1);
        var day = await ServeWithOutcomeAsync(hour: 14, outcome: 0);
        await ServeWithOutcomeAsync(hour: 2, outcome: 0);

        var segments = store.Segments.Query("ctr-ranker", night.Version, night.Arm, from, DateTimeOffset.UtcNow.AddSeconds(2))!["feature.hour"];
        Assert.Equal((2L, 1.0), (segments["[2, 3)"].N, segments["[2, 3)"].Sum));
        Assert.Equal((night.Version, night.Arm), (day.Version, day.Arm));
        Assert.Equal((1L, 0.0), (segments["[14, 15)"].N, segments["[14, 15)"].Sum));
    }

    private async Task<(int Version, Arm Arm)> ServeWithOutcomeAsync(int hour, double outcome)
    {
        var prediction = await app.PredictAsync(new { features = InferenceAppFixture.Features(hour: hour) });
        using var response = await app.Client.PostAsJsonAsync("/inference/feedback", new { requestId = prediction.GetProperty("requestId").GetString(), outcome });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (prediction.GetProperty("modelVersion").GetInt32(), ArmNames.FromWire(prediction.GetProperty("arm").GetString())!.Value);
    }
}
