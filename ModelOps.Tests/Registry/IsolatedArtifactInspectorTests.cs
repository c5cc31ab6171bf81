using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Web.Registry;

namespace ModelOps.Tests.Registry;

/// <summary>The real child process: <c>dotnet ModelOps.Web.dll inspect-artifact &lt;path&gt;</c>.</summary>
public sealed class IsolatedArtifactInspectorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("modelops-inspect").FullName;
    private readonly IsolatedArtifactInspector _inspector = new(Options.Create(new RegistryOptions()), NullLogger<IsolatedArtifactInspector>.Instance);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Inspect_ValidModel_ReadsItsSignatureInTheChild()
    {
        var path = Write(new LinearModelOnnxWriter().Serialize(new LinearModel([1f, 2f, 3f, 4f], 0.5f)));

        var signature = await _inspector.InspectAsync(path, CancellationToken.None);

        Assert.True(signature.IsSuccess, signature.Error?.Detail);
        Assert.Equal("input", signature.Value.Inputs.Single().Name);
        Assert.Equal([-1L, 4], signature.Value.Inputs.Single().Shape);
        Assert.Equal("probability", signature.Value.Outputs.Single().Name);
    }

    [Fact]
    public async Task Inspect_RandomBytes_IsInvalidNamingArtifactWithoutTheServerPath()
    {
        var path = Write(System.Security.Cryptography.RandomNumberGenerator.GetBytes(500));

        var refused = await _inspector.InspectAsync(path, CancellationToken.None);

        Assert.False(refused.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, refused.Error.Kind);
        Assert.Equal("artifact", refused.Error.Field);
        Assert.DoesNotContain(_directory, refused.Error.Detail, StringComparison.Ordinal);
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
