using System.Text;
using System.Text.Json;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Hosting;

/// <summary>
/// A valid body per route pattern for the byte fuzzer to start from, so most mutants stay close
/// enough to valid to get past the parser into binding and validation.
/// </summary>
public static class FuzzSeedBodies
{
    /// <summary>
    /// An unknown route starts from this generic object: its fields may mean nothing to it, but
    /// byte mutations of it still exercise its JSON reader. Add the route here to go deeper.
    /// </summary>
    public const string Generic = """{"name":"ctr-ranker","version":2,"reason":"fuzz","id":"x"}""";

    /// <summary>Values for route parameters: the demo model and its champion.</summary>
    public static readonly IReadOnlyDictionary<string, string> PathValues = new Dictionary<string, string>
    {
        ["name"] = "ctr-ranker",
        ["version"] = "2",
        ["alias"] = "champion",
    };

    public static byte[] For(string pattern, string feedbackRequestId) => Encoding.UTF8.GetBytes(pattern.TrimEnd('/') switch
    {
        // approver, not admin: mutated passwords lock the account out, and the fuzzer's token is admin's.
        "/api/auth/token" => """{"username":"approver","password":"modelops-demo"}""",
        "/api/encoders" => """{"name":"fuzz","version":1,"features":[{"name":"hour","kind":"numeric","mean":12,"std":6},{"name":"device","kind":"categorical","vocabulary":["mobile","desktop"]}]}""",
        "/api/models/{name}/aliases/{alias}" => """{"version":2,"reason":"fuzz"}""",
        "/api/models/{name}/routing" => """{"weights":[{"version":2,"percent":100}],"baselineVersion":2,"reason":"fuzz"}""",
        "/api/models/{name}/versions/{version:int}/calibration/snapshots" => """{"reason":"fuzz"}""",
        "/api/chaos" => """{"model":"ctr-ranker","version":2,"addedLatencyMs":1,"errorRate":0.01,"kpiFactor":1}""",
        "/inference/{name}/predict" => JsonSerializer.Serialize(new { features = InferenceAppFixture.Features(), routingKey = "u1", region = "eu" }),
        "/inference/feedback" => $$"""{"requestId":"{{feedbackRequestId}}","outcome":1}""",
        "/v2/models/{name}/infer" => "{\"id\":\"fuzz\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,32],\"datatype\":\"FP32\",\"data\":["
            + string.Join(",", Enumerable.Repeat("0.5", 32)) + "]}],\"parameters\":{\"routingKey\":\"u1\",\"region\":\"eu\"}}",
        _ => Generic,
    });
}
