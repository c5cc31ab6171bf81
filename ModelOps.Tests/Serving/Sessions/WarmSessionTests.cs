using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Tests.Serving.Sessions;

public sealed class WarmSessionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("modelops-sessions").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RunSingle_MatchesTheLinearModelItWasWrittenFrom()
    {
        var model = new LinearModel([0.5f, -1f, 2f], 0.25f);
        using var session = Load(model).Value!;
        float[] input = [1f, 2f, 3f];
        var output = new float[1];

        session.RunSingle(input, output);

        Assert.Equal(model.Predict(input), output[0], 5);
    }

    [Fact]
    public void Retire_WhileLeased_DisposesOnlyWhenTheLastLeaseIsReleased()
    {
        var session = Load(new LinearModel([1f, 1f, 1f], 0f)).Value!;
        Assert.True(session.TryAcquire());

        session.Retire();
        var disposedWhileLeased = session.IsDisposed;
        var output = new float[1];
        session.RunSingle([1f, 1f, 1f], output);
        session.Release();

        Assert.False(disposedWhileLeased);
        Assert.True(float.IsFinite(output[0]));
        Assert.True(session.IsDisposed);
        Assert.False(session.TryAcquire());
    }

    [Fact]
    public void Load_GoldenInputGivesNaN_IsRefusedSoItIsNeverRouted()
    {
        var loaded = Load(new LinearModel([1f, 1f, 1f], float.NaN));

        Assert.False(loaded.IsSuccess);
        Assert.Contains("health check", loaded.Error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HealthySession_StaysHealthyAndRecordsTheCheckTime()
    {
        using var session = Load(new LinearModel([1f, 1f, 1f], 0f)).Value!;
        var at = DateTimeOffset.UnixEpoch.AddMinutes(5);

        var checkedResult = session.Check(at);

        Assert.True(checkedResult.IsSuccess);
        Assert.Equal(SessionHealth.Healthy, session.Health);
        Assert.Equal(at, session.LastCheckedAt);
    }

    [Fact]
    public void Load_NonFp32Input_IsRefusedAsNotServable()
    {
        var path = Write(new LinearModel([1f, 1f], 0f));
        var servable = new ServableVersion("m", 1, "sha256:x", path, [new TensorSpec("input", "INT64", [-1, 2])], [new TensorSpec("probability", "FP32", [-1, 1])], null);

        var loaded = WarmSession.Load(servable, DateTimeOffset.UnixEpoch);

        Assert.False(loaded.IsSuccess);
        Assert.Contains("FP32", loaded.Error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptFile_FailsWithoutLeakingThePath()
    {
        var path = Path.Combine(_directory, "corrupt.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var servable = new ServableVersion("m", 1, "sha256:x", path, [new TensorSpec("input", "FP32", [-1, 2])], [new TensorSpec("probability", "FP32", [-1, 1])], null);

        var loaded = WarmSession.Load(servable, DateTimeOffset.UnixEpoch);

        Assert.False(loaded.IsSuccess);
        Assert.DoesNotContain(_directory, loaded.Error!.Detail, StringComparison.Ordinal);
    }

    private Core.Common.Result<WarmSession> Load(LinearModel model)
    {
        var path = Write(model);
        var servable = new ServableVersion(
            "m",
            1,
            "sha256:x",
            path,
            [new TensorSpec(LinearModelOnnxWriter.InputName, "FP32", [-1, model.InputWidth])],
            [new TensorSpec(LinearModelOnnxWriter.OutputName, "FP32", [-1, 1])],
            null);
        return WarmSession.Load(servable, DateTimeOffset.UnixEpoch);
    }

    private string Write(LinearModel model)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(path, new LinearModelOnnxWriter().Serialize(model));
        return path;
    }
}
