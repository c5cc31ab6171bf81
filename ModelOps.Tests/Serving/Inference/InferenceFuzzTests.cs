using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ModelOps.Tests.Serving.Inference;

/// <summary>
/// A few thousand malformed bodies, mutated from valid ones with a fixed seed: every answer must
/// be 2xx or 4xx, and the service must still answer a valid request correctly afterwards.
/// </summary>
public sealed class InferenceFuzzTests(InferenceAppFixture app) : IClassFixture<InferenceAppFixture>
{
    private const int Requests = 3_000;

    private static readonly string[] Paths = ["/v2/models/ctr-ranker/infer", "/inference/ctr-ranker/predict", "/inference/feedback", "/v2/models/nope/infer"];

    private static readonly string[] Fragments =
    [
        "null", "true", "-1", "1e999", "-1e309", "NaN", "\"NaN\"", "Infinity", "[]", "{}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "\"\\u0000\"", "\"" + new string('x', 2_000) + "\"", "2147483648", "-2147483649", "0.0000000000000000000000000000000000000000000001", "\"FP32\"", "[1,32]", "[0,32]", "{\"a\":", "]", "\"",
    ];

    [Fact]
    public async Task Fuzz_ThousandsOfMalformedRequests_NeverA5xxAndServiceStaysHealthy()
    {
        var random = new Random(20261123);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var path = Paths[random.Next(Paths.Length)];
            var body = Mutate(Valid(path), random);
            using var content = new StringContent(body, Encoding.UTF8, random.Next(10) == 0 ? "text/plain" : "application/json");
            using var response = await app.Client.PostAsync(new Uri(path, UriKind.Relative), content);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"Request {i} to {path} got {status} for body: {Truncate(body)}\n{await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(statuses.Keys.Count(s => s >= 400) >= 2, $"the fuzzer only produced {string.Join(", ", statuses)}");
        using var ready = await app.Client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var answer = await app.PredictAsync(new { features = InferenceAppFixture.Features() });
        Assert.Equal(2, answer.GetProperty("modelVersion").GetInt32());
    }

    private static string Valid(string path) => path switch
    {
        "/inference/ctr-ranker/predict" => JsonSerializer.Serialize(new { features = InferenceAppFixture.Features(), routingKey = "u1", region = "eu" }),
        "/inference/feedback" => """{"requestId":"abc","outcome":1}""",
        _ => "{\"id\":\"f\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,32],\"datatype\":\"FP32\",\"data\":[" + string.Join(",", Enumerable.Repeat("0.5", 32)) + "]}],\"parameters\":{\"routingKey\":\"u1\"}}",
    };

    /// <summary>One to three edits: replace a JSON token with a hostile fragment, cut, duplicate or flip bytes.</summary>
    private static string Mutate(string valid, Random random)
    {
        var text = valid;
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(Math.Max(1, text.Length));
            text = random.Next(5) switch
            {
                0 => ReplaceToken(text, Fragments[random.Next(Fragments.Length)], random),
                1 => text[..at],
                2 => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                3 => text.Remove(at, Math.Min(1 + random.Next(8), text.Length - at)),
                _ => text.Length == 0 ? text : text.Remove(at, 1).Insert(at, ((char)random.Next(32, 127)).ToString()),
            };
        }

        return text;
    }

    private static string ReplaceToken(string text, string fragment, Random random)
    {
        // A "token" here is the text between two structural characters; replacing it keeps most of the JSON intact.
        var separators = text.Select((c, i) => (c, i)).Where(p => p.c is ',' or ':' or '[' or '{').Select(p => p.i).ToList();
        if (separators.Count == 0)
        {
            return fragment;
        }

        var start = separators[random.Next(separators.Count)] + 1;
        var end = start;
        while (end < text.Length && text[end] is not (',' or '}' or ']'))
        {
            end++;
        }

        return text[..start] + fragment + text[end..];
    }

    private static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
