using Microsoft.ML.OnnxRuntime;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// The floor the serving path is compared with: a bare <see cref="InferenceSession"/> over the
/// same artifact with the options <c>WarmSession.Load</c> uses (one intra-op thread, no
/// spinning, full optimisation, arena on), and per-thread OrtValues bound once over fixed
/// buffers, so a run is one row copy plus <c>Run</c> and allocates nothing managed.
/// </summary>
public sealed class RawOnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _inputWidth;
    private readonly int _outputWidth;

    public RawOnnxSession(string artifactPath, string inputName, string outputName, int inputWidth, int outputWidth)
    {
        // The same options the serving path uses, so the comparison is like for like.
        using var options = WarmSession.CreateServingOptions();
        _session = new InferenceSession(artifactPath, options);
        _inputNames = [inputName];
        _outputNames = [outputName];
        _inputWidth = inputWidth;
        _outputWidth = outputWidth;
    }

    /// <summary>Buffers for one thread; <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/> is thread-safe, the buffers are not.</summary>
    public Slot CreateSlot() => new(this);

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    public sealed class Slot : IDisposable
    {
        private readonly RawOnnxSession _owner;
        private readonly float[] _input;
        private readonly float[] _output;
        private readonly OrtValue[] _inputValues;
        private readonly OrtValue[] _outputValues;

        internal Slot(RawOnnxSession owner)
        {
            _owner = owner;
            _input = new float[owner._inputWidth];
            _output = new float[owner._outputWidth];
            _inputValues = [OrtValue.CreateTensorValueFromMemory(_input, [1, owner._inputWidth])];
            _outputValues = [OrtValue.CreateTensorValueFromMemory(_output, [1, owner._outputWidth])];
        }

        /// <summary>Runs one pre-encoded row and returns the first output value.</summary>
        public float Run(ReadOnlySpan<float> row)
        {
            row.CopyTo(_input);
            _owner._session.Run(_owner._runOptions, _owner._inputNames, _inputValues, _owner._outputNames, _outputValues);
            return _output[0];
        }

        public void Dispose()
        {
            _inputValues[0].Dispose();
            _outputValues[0].Dispose();
        }
    }
}
