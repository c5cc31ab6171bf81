using System.Buffers;
using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving;

/// <summary>
/// Runs one request on a leased session and records it: named features through the version's
/// encoder (predict) or a checked tensor (infer), then the session (through the cache), then
/// calibration. A request the session answered for another routed version (a fallback) is
/// recorded as <see cref="RequestStatus.Fallback"/>; input the version refuses is the caller's
/// error and not counted against the version.
/// </summary>
public sealed class RequestExecutor(CachedRunner runner, CalibrationRegistry calibration, RequestRecorder recorder, IOptions<ServingOptions> options)
{
    public Result<Prediction> Predict(PredictRequest request, WarmSession session, in ServedRequest served)
    {
        var version = session.Version;
        if (version.Encoder is not { } encoder)
        {
            return Error.Invalid("features", $"{version.Model} v{version.Version} has no paired feature encoder, so it cannot take named features; call POST /v2/models/{version.Model}/infer with a tensor.");
        }

        var buffer = ArrayPool<float>.Shared.Rent(encoder.OutputWidth);
        try
        {
            var input = buffer.AsSpan(0, encoder.OutputWidth);
            var encoded = encoder.EncodeInto(request.Features, input);
            if (!encoded.IsSuccess)
            {
                recorder.Record(served with { Status = RequestStatus.Error, Error = encoded.Error.Detail, CountInMetrics = false });
                return encoded.Error;
            }

            var outputs = runner.Run(session, input);
            double raw = outputs[0];
            var score = calibration.Calibrate(version.Model, version.Version, raw);
            recorder.Record(Answered(served, version.Version, input.ToArray(), outputs, score, raw));
            return new Prediction(served.RequestId, version.Model, version.Version, version.EncoderRef, score, served.Arm);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    public Result<InferResult> Infer(InferRequest request, WarmSession session, in ServedRequest served)
    {
        var version = session.Version;
        var checkedInput = CheckInput(request, session);
        if (!checkedInput.IsSuccess)
        {
            recorder.Record(served with { Status = RequestStatus.Error, Error = checkedInput.Error.Detail, CountInMetrics = false });
            return checkedInput.Error;
        }

        var (input, rows) = checkedInput.Value;
        IReadOnlyList<TensorOutput> outputs = rows == 1 ? SplitRow(version, runner.Run(session, input.Data)) : session.RunBatch(input.Data, rows);
        var first = outputs[0].Data;
        double? score = first.Length > 0 ? first[0] : null;
        recorder.Record(Answered(served, version.Version, input.Data, first, score, score));
        return new InferResult(served.RequestId, version.Model, version.Version, served.Arm, outputs);
    }

    private static ServedRequest Answered(in ServedRequest served, int answeredBy, float[] input, float[] outputs, double? score, double? raw) =>
        answeredBy == served.Version
            ? served with { Input = input, Outputs = outputs, Score = score, RawScore = raw }
            : served with { Status = RequestStatus.Fallback, Error = $"answered by baseline v{answeredBy}", Input = input, Outputs = outputs, Score = score };

    private Result<(InferInput Input, int Rows)> CheckInput(InferRequest request, WarmSession session)
    {
        var spec = session.Version.Inputs[0];
        var name = $"{session.Version.Model} v{session.Version.Version}";
        if (request.Inputs.Count != 1)
        {
            return Error.Invalid("inputs", $"{name} takes exactly one input, '{spec.Name}'; the request has {request.Inputs.Count}.");
        }

        var input = request.Inputs[0];
        if (input.Name != spec.Name)
        {
            return Error.Invalid("inputs[0].name", $"{name} has no input '{input.Name}'; its input is '{spec.Name}'.");
        }

        if (input.Datatype != spec.Datatype)
        {
            return Error.Invalid("inputs[0].datatype", $"Input '{spec.Name}' of {name} is {spec.Datatype}; the request says {input.Datatype}.");
        }

        if (input.Shape is not [var rows, var width] || width != session.InputWidth)
        {
            return Error.Invalid("inputs[0].shape", $"Input '{spec.Name}' of {name} has shape [batch, {session.InputWidth}]; the request says [{string.Join(", ", input.Shape)}].");
        }

        if (rows < 1 || rows > options.Value.MaxBatch)
        {
            return Error.Invalid("inputs[0].shape", $"Batch size {rows} is outside 1..{options.Value.MaxBatch}; split the request.");
        }

        return input.Data.Length != rows * width
            ? Error.Invalid("inputs[0].data", $"Shape [{rows}, {width}] needs {rows * width} values; the request has {input.Data.Length}.")
            : (input, (int)rows);
    }

    private static TensorOutput[] SplitRow(ServableVersion version, float[] row)
    {
        var outputs = new TensorOutput[version.Outputs.Count];
        var offset = 0;
        for (var i = 0; i < outputs.Length; i++)
        {
            var width = (int)version.Outputs[i].Shape[1];
            outputs[i] = new TensorOutput(version.Outputs[i].Name, [1, width], row[offset..(offset + width)]);
            offset += width;
        }

        return outputs;
    }
}
