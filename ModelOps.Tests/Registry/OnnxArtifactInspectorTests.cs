using ModelOps.Core.Common;
using ModelOps.Core.Demo;
using ModelOps.Inference.Onnx;
using ModelOps.Inference.Registry;

namespace ModelOps.Tests.Registry;

public sealed class OnnxArtifactInspectorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("modelops-inspector-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> WriteAsync(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static byte[] ValidModel() => new LinearModelOnnxWriter().Serialize(new LinearModel([0.5f, -1f, 2f], 0.1f));

    [Fact]
    public async Task Inspect_WrittenLinearModel_ReturnsSignature()
    {
        var path = await WriteAsync("model.onnx", ValidModel());

        var result = await new OnnxArtifactInspector().InspectAsync(path, CancellationToken.None);

        Assert.True(result.IsSuccess);
        var input = Assert.Single(result.Value.Inputs);
        Assert.Equal(("input", "FP32"), (input.Name, input.Datatype));
        Assert.Equal([-1L, 3L], input.Shape);
        var output = Assert.Single(result.Value.Outputs);
        Assert.Equal(("probability", "FP32"), (output.Name, output.Datatype));
        Assert.Equal([-1L, 1L], output.Shape);
    }

    public static TheoryData<string> BadArtifacts() => ["empty", "random", "truncated"];

    [Theory]
    [MemberData(nameof(BadArtifacts))]
    public async Task Inspect_BadBytes_Invalid(string kind)
    {
        var bytes = kind switch
        {
            "empty" => [],
            "random" => RandomBytes(),
            _ => ValidModel()[..60],
        };
        var path = await WriteAsync($"{kind}.onnx", bytes);

        var result = await new OnnxArtifactInspector().InspectAsync(path, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, result.Error.Kind);
        Assert.Equal("artifact", result.Error.Field);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[512];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
