using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using ModelOps.Core.Common;

namespace ModelOps.Inference.Serving.Sessions;

/// <summary>
/// One loaded, warmed <see cref="InferenceSession"/> of a version. Requests hold a lease
/// (<see cref="TryAcquire"/>/<see cref="Release"/>); <see cref="Retire"/> stops new leases and the
/// native session is disposed when the last lease is released, so a swap never disposes a
/// session under a running request. Only FP32 tensors are served.
/// </summary>
public sealed class WarmSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int[] _outputRowWidths;
    private readonly ConcurrentBag<RunSlot> _slots = [];
    private int _leases;
    private int _retired;
    private int _disposed;
    private Action<ServableVersion>? _onDisposed;

    private WarmSession(ServableVersion version, InferenceSession session, int inputWidth, int[] outputRowWidths)
    {
        Version = version;
        _session = session;
        _inputNames = [.. version.Inputs.Select(i => i.Name)];
        _outputNames = [.. version.Outputs.Select(o => o.Name)];
        _outputRowWidths = outputRowWidths;
        InputWidth = inputWidth;
        OutputWidth = outputRowWidths.Sum();
    }

    public ServableVersion Version { get; }

    /// <summary>Width of one input row (the fast path takes exactly one FP32 input of shape [batch, width]).</summary>
    public int InputWidth { get; }

    /// <summary>Sum of the widths of one row of every output.</summary>
    public int OutputWidth { get; }

    public SessionHealth Health { get; private set; } = SessionHealth.Healthy;

    public string? LastHealthProblem { get; private set; }

    public DateTimeOffset LoadedAt { get; private init; }

    public DateTimeOffset? LastCheckedAt { get; private set; }

    public int ActiveLeases => Volatile.Read(ref _leases);

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    /// <summary>
    /// Loads and warms <paramref name="version"/>. Options, chosen for many small concurrent
    /// requests on few cores: one intra-op thread and no spinning (requests parallelise across
    /// threads, and spin-waiting ORT pools would steal the cores that serve other requests);
    /// full graph optimisation (paid once at load); the CPU arena and memory patterns on
    /// (a batch-1 shape repeats, so ORT reuses its buffers instead of allocating per run).
    /// </summary>
    public static Result<WarmSession> Load(ServableVersion version, DateTimeOffset now)
    {
        var shape = CheckServable(version);
        if (!shape.IsSuccess)
        {
            return shape.Error;
        }

        using var options = CreateServingOptions();
        InferenceSession session;
        try
        {
            session = new InferenceSession(version.ArtifactPath, options);
        }
        catch (OnnxRuntimeException exception)
        {
            return Error.Unavailable($"{version.Model} v{version.Version} failed to load in ONNX Runtime ({exception.Message.Replace(version.ArtifactPath, "<artifact>", StringComparison.Ordinal)}).");
        }

        var warm = new WarmSession(version, session, shape.Value.InputWidth, shape.Value.OutputWidths) { LoadedAt = now };
        var check = warm.Check(now);
        if (!check.IsSuccess)
        {
            warm.Dispose();
            return check.Error;
        }

        return warm;
    }

    /// <summary>The session options every served version gets (the why is on <see cref="Load"/>); the caller disposes them.</summary>
    internal static SessionOptions CreateServingOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            EnableCpuMemArena = true,
            EnableMemoryPattern = true,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        return options;
    }

    /// <summary>Runs the golden input (all zeros) and requires finite outputs; updates <see cref="Health"/>.</summary>
    public Result<bool> Check(DateTimeOffset now)
    {
        LastCheckedAt = now;
        if (!TryAcquire())
        {
            return Error.Unavailable($"{Name} is retired.");
        }

        try
        {
            Span<float> input = stackalloc float[InputWidth];
            var output = new float[OutputWidth];
            RunSingle(input, output);
            if (!output.All(float.IsFinite))
            {
                return MarkUnhealthy("the golden input produced a non-finite output");
            }

            Health = SessionHealth.Healthy;
            LastHealthProblem = null;
            return true;
        }
        catch (OnnxRuntimeException exception)
        {
            return MarkUnhealthy($"the golden input failed: {exception.Message}");
        }
        finally
        {
            Release();
        }
    }

    public bool TryAcquire()
    {
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Release();
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) == 1)
        {
            Dispose();
        }
    }

    /// <summary>No new leases from now on; disposed when the last running request releases.</summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 1)
        {
            return;
        }

        Health = SessionHealth.Retired;
        if (Volatile.Read(ref _leases) == 0)
        {
            Dispose();
        }
    }

    /// <summary>
    /// Batch-1 fast path: the input and output buffers and their OrtValues come from a pool of
    /// slots bound once, so a run allocates nothing managed. Caller holds a lease.
    /// </summary>
    public void RunSingle(ReadOnlySpan<float> input, Span<float> output)
    {
        if (!_slots.TryTake(out var slot))
        {
            slot = new RunSlot(InputWidth, _outputRowWidths);
        }

        try
        {
            input.CopyTo(slot.Input);
            _session.Run(_runOptions, _inputNames, slot.InputValues, _outputNames, slot.OutputValues);
            var offset = 0;
            foreach (var buffer in slot.Outputs)
            {
                buffer.CopyTo(output[offset..]);
                offset += buffer.Length;
            }
        }
        finally
        {
            _slots.Add(slot);
        }
    }

    /// <summary>General path: <paramref name="rows"/> rows of the single input. Caller holds a lease.</summary>
    public IReadOnlyList<TensorOutput> RunBatch(float[] input, int rows)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, [rows, InputWidth]);
        using var results = _session.Run(_runOptions, _inputNames, [value], _outputNames);
        var outputs = new TensorOutput[_outputNames.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            var result = results[i];
            outputs[i] = new TensorOutput(_outputNames[i], [.. result.GetTensorTypeAndShape().Shape], result.GetTensorDataAsSpan<float>().ToArray());
        }

        return outputs;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _retired, 1);
        Health = SessionHealth.Retired;
        while (_slots.TryTake(out var slot))
        {
            slot.Dispose();
        }

        _session.Dispose();
        _runOptions.Dispose();
        _onDisposed?.Invoke(Version);
    }

    /// <summary>Runs <paramref name="callback"/> once the native session is disposed (after the last lease of a retired session).</summary>
    internal void WhenDisposed(Action<ServableVersion> callback) => _onDisposed = callback;

    private string Name => $"{Version.Model} v{Version.Version}";

    private Result<bool> MarkUnhealthy(string problem)
    {
        Health = SessionHealth.Unhealthy;
        LastHealthProblem = problem;
        return Error.Unavailable($"{Name} failed its health check: {problem}.");
    }

    /// <summary>One FP32 input of shape [batch, width] and FP32 outputs of shape [batch, k] with fixed k.</summary>
    private static Result<(int InputWidth, int[] OutputWidths)> CheckServable(ServableVersion version)
    {
        if (version.Inputs is not [{ Datatype: "FP32", Shape: [_, var width] }] || width < 1)
        {
            return Error.Unavailable($"{version.Model} v{version.Version} cannot be served: serving takes exactly one FP32 input of shape [batch, width], and this model has {Describe(version.Inputs)}.");
        }

        var outputWidths = new int[version.Outputs.Count];
        for (var i = 0; i < outputWidths.Length; i++)
        {
            if (version.Outputs[i] is not { Datatype: "FP32", Shape: [_, var k] } || k < 1)
            {
                return Error.Unavailable($"{version.Model} v{version.Version} cannot be served: every output must be FP32 of shape [batch, k], and this model has {Describe(version.Outputs)}.");
            }

            outputWidths[i] = (int)k;
        }

        return ((int)width, outputWidths);
    }

    private static string Describe(IReadOnlyList<Core.Registry.TensorSpec> tensors) =>
        string.Join(", ", tensors.Select(t => $"{t.Name} {t.Datatype} [{string.Join(",", t.Shape)}]"));

    private sealed class RunSlot : IDisposable
    {
        public RunSlot(int inputWidth, int[] outputWidths)
        {
            Input = new float[inputWidth];
            InputValues = [OrtValue.CreateTensorValueFromMemory(Input, [1, inputWidth])];
            Outputs = [.. outputWidths.Select(w => new float[w])];
            OutputValues = [.. Outputs.Select(o => OrtValue.CreateTensorValueFromMemory(o, [1, o.Length]))];
        }

        public float[] Input { get; }

        public OrtValue[] InputValues { get; }

        public float[][] Outputs { get; }

        public OrtValue[] OutputValues { get; }

        public void Dispose()
        {
            foreach (var value in InputValues.Concat(OutputValues))
            {
                value.Dispose();
            }
        }
    }
}
