using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Hosting;

/// <summary>
/// Text that does not decode (bytes that are not UTF-8, or an escaped lone surrogate) used to
/// throw InvalidOperationException from JsonElement.GetString() and answer 500. Each case now
/// gets 400 problem+json naming the field, or the byte offset where no field can be named.
/// Bodies are written as Latin-1 strings so "\u00FF" stands for the single byte 0xFF.
/// </summary>
public sealed class UndecodableTextTests(InferenceAppFixture app) : IClassFixture<InferenceAppFixture>
{
    private const string Input = "\"shape\":[1,32],\"datatype\":\"FP32\",\"data\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]";

    [Theory]
    [InlineData("/inference/ctr-ranker/predict", "{\"features\":{\"hour\":21,\"device\":\"mob\u00FFile\"}}", "features.device")]
    [InlineData("/inference/ctr-ranker/predict", "{\"features\":{\"hour\":21,\"device\":\"\\ud800\"}}", "features.device")]
    [InlineData("/inference/ctr-ranker/predict", "{\"features\":{\"hour\":21,\"dev\u00C0\u0080ice\":\"mobile\"}}", "features")]
    [InlineData("/inference/ctr-ranker/predict", "{\"features\":{\"hour\":21},\"routingKey\":\"u\u00ED\u00A0\u0080\"}", "routingKey")]
    [InlineData("/v2/models/ctr-ranker/infer", "{\"id\":\"a\u00ED\u00A0\u0080\",\"inputs\":[{\"name\":\"input\"," + Input + "}]}", "id")]
    [InlineData("/v2/models/ctr-ranker/infer", "{\"inputs\":[{\"name\":\"input\"," + Input + "}],\"parameters\":{\"routingKey\":\"u\u00F5\"}}", "parameters.routingKey")]
    [InlineData("/v2/models/ctr-ranker/infer", "{\"inputs\":[{\"name\":\"in\u0080put\"," + Input + "}]}", "inputs[0].name")]
    [InlineData("/v2/models/ctr-ranker/infer", "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP\u00E2\u0082\",\"shape\":[1,32],\"data\":[]}]}", "inputs[0].datatype")]
    [InlineData("/inference/feedback", "{\"requestId\":\"r\u00FE\",\"outcome\":1}", "requestId")]
    [InlineData("/api/auth/token", "{\"username\":\"ad\u00FFmin\",\"password\":\"modelops-demo\"}", "username")]
    [InlineData("/api/auth/token", "{\"username\":\"\\udc00\",\"password\":\"modelops-demo\"}", "username")]
    public async Task Post_UndecodableTextInAString_Returns400NamingTheField(string path, string latin1Body, string field)
    {
        using var response = await app.Client.PostAsync(new Uri(path, UriKind.Relative), Body(latin1Body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/api/auth/token")]
    [InlineData("/inference/ctr-ranker/predict")]
    public async Task Post_BodyStartingWithAnInvalidByte_Returns400WithOffsetZero(string path)
    {
        using var response = await app.Client.PostAsync(new Uri(path, UriKind.Relative), Body("\u00FF{}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, problem.GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task Encoders_UndecodableFeatureName_Returns400NamingTheSpecField()
    {
        using var admin = await app.Factory.CreateClientForAsync("admin");

        using var response = await admin.PostAsync(new Uri("/api/encoders", UriKind.Relative), Body("{\"name\":\"e\u00FF\",\"version\":1,\"features\":[]}"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("spec.name", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Token_UnknownContentTypeCharset_Returns415Problem()
    {
        var content = Body("{\"username\":\"admin\",\"password\":\"modelops-demo\"}");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=bogus");

        using var response = await app.Client.PostAsync(new Uri("/api/auth/token", UriKind.Relative), content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    private static ByteArrayContent Body(string latin1) =>
        new(Encoding.Latin1.GetBytes(latin1)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
}
