using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving;

/// <summary>
/// The serving path. Per request: read the routing snapshot once, pick a version, lease its
/// warm session, encode, run, record metrics, enqueue the log row, offer a mirror copy. A
/// routed version that is not healthy is never run: the request falls back to the table's
/// baseline, or gets 503 when none is healthy.
/// </summary>
public sealed partial class ModelServer(
    RoutingTableHolder holder,
    SessionPool pool,
    ServingMetricsStore metrics,
    IInferenceLog log,
    InferenceLogReader logReader,
    RecentRequests recent,
    ShadowQueue shadows,
    ChaosBoard chaos,
    PredictionCache cache,
    CalibrationRegistry calibration,
    IOptions<ServingOptions> options,
    TimeProvider time,
    Random random,
    ILogger<ModelServer> logger)
{
    private long _fallbacks;

    /// <summary>Requests answered by the baseline because the routed version was not healthy.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    public ValueTask<Result<Prediction>> PredictAsync(PredictRequest request, CancellationToken cancellationToken) =>
        ServeRoutedAsync(
            request.Model,
            request.RoutingKey,
            request.Region,
            request.RequestId,
            request.Features,
            (requestId, decision, session, start) => ServePredict(request, requestId, decision, session, start),
            cancellationToken);

    public ValueTask<Result<InferResult>> InferAsync(InferRequest request, CancellationToken cancellationToken) =>
        ServeRoutedAsync(
            request.Model,
            request.RoutingKey,
            request.Region,
            request.RequestId,
            null,
            (requestId, decision, session, start) => ServeInfer(request, requestId, decision, session, start),
            cancellationToken);

    /// <summary>
    /// Fills a version's cache namespace from its most recent distinct inputs in the inference log,
    /// run through its warm session (so a version about to take traffic starts with hits).
    /// </summary>
    public async Task<Result<int>> PrewarmCacheAsync(string model, int version, int limit, CancellationToken cancellationToken)
    {
        if (!cache.IsEnabled(model))
        {
            return Error.Conflict($"The prediction cache is off for '{model}'; add it to ModelOps:Inference:Cache:Models first.");
        }

        if (Lease(model, version) is not { } session)
        {
            return Error.Conflict($"{model} v{version} is not warm; route traffic to it (or keep it warm) before pre-warming its cache.");
        }

        try
        {
            var inputs = await logReader.RecentInputsAsync(model, version, limit, cancellationToken);
            var usable = inputs.Where(input => input.Length == session.InputWidth).ToList();
            var v = session.Version;
            return await cache.PrewarmAsync(model, version, v.Digest, v.EncoderRef, usable, input =>
            {
                var output = new float[session.OutputWidth];
                session.RunSingle(input, output);
                return ValueTask.FromResult(output);
            }, cancellationToken);
        }
        finally
        {
            session.Release();
        }
    }

    /// <summary>Attaches an outcome to an answered request; the version's KPI is the mean outcome of its requests.</summary>
    public async Task<Result<bool>> RecordFeedbackAsync(string requestId, double outcome, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(requestId))
        {
            return Error.Invalid("requestId", "requestId is empty; send the id returned by predict or infer.");
        }

        if (!double.IsFinite(outcome))
        {
            return Error.Invalid("outcome", $"outcome {outcome} is not a finite number; send e.g. 1 for a click and 0 for none.");
        }

        var found = recent.Find(requestId) ?? FromLog(await logReader.FindAsync(requestId, cancellationToken));
        if (found is null)
        {
            return Error.NotFound($"No answered request has id '{requestId}' (ids are kept for the log's retention); check the id returned by predict or infer.");
        }

        if (Interlocked.Exchange(ref found.OutcomeReceived, 1) == 1)
        {
            return false;
        }

        // A KPI fault scales outcomes here, where a real regression would show: the KPI is their mean.
        outcome = ChaosBoard.ApplyKpi(chaos.Find(found.Model, found.Version), outcome);
        metrics.RecordOutcome(found.Model, found.Version, found.Arm, outcome);
        if (found.RawScore is { } raw)
        {
            calibration.Observe(found.Model, found.Version, raw, outcome);
        }

        log.EnqueueFeedback(new InferenceFeedback
        {
            RequestId = requestId,
            Model = found.Model,
            Version = found.Version,
            Arm = found.Arm.ToWire(),
            Outcome = outcome,
            ReceivedAt = time.GetUtcNow(),
        });
        return true;
    }

    private RequestRef? FromLog(InferenceLogEntry? entry)
    {
        // Shadow copies never get feedback: their answer was never shown.
        if (entry is not { Status: RequestStatusNames.Ok } || ArmNames.FromWire(entry.Arm) is not { } arm || arm == Arm.Shadow)
        {
            return null;
        }

        // The log keeps the calibrated score only, so an outcome this old does not train calibration.
        var found = new RequestRef(entry.RequestId, entry.Model, entry.Version, arm, null);
        recent.Add(found);
        return recent.Find(entry.RequestId);
    }

    /// <summary>Runs a mirror copy on the shadow version: measured and logged, never answered.</summary>
    public void ServeShadow(ShadowWork work)
    {
        var start = time.GetTimestamp();
        var session = Lease(work.Model, work.Version);
        if (session is null)
        {
            return;
        }

        try
        {
            var decision = new RouteDecision(work.Version, Arm.Shadow, false, null);
            var shadowId = work.RequestId + "~shadow";

            // Mirrors run on one background loop, so injected latency is not waited here; injected errors are.
            if (chaos.Find(work.Model, work.Version) is { } fault && DrawsInjectedError(fault))
            {
                Finish(shadowId, session.Version, Arm.Shadow, work.RoutingKey, work.Region, work.Features, null, null, null, start, RequestStatus.Error, "injected error", countInMetrics: true);
                return;
            }

            if (work.Features is not null)
            {
                _ = ServePredict(new PredictRequest(work.Model, work.Features, work.RoutingKey, work.Region), shadowId, decision, session, start);
            }
            else if (work.Input is not null)
            {
                var input = new InferInput(session.Version.Inputs[0].Name, [work.Rows, work.Input.Length / Math.Max(1, work.Rows)], "FP32", work.Input);
                _ = ServeInfer(new InferRequest(work.Model, shadowId, [input], work.RoutingKey, work.Region), shadowId, decision, session, start);
            }
        }
        finally
        {
            session.Release();
        }
    }

    /// <summary>Routes, leases the chosen session for the whole request, applies any injected fault, then serves.</summary>
    private async ValueTask<Result<T>> ServeRoutedAsync<T>(
        string model,
        string? routingKey,
        string? region,
        string? requestId,
        IReadOnlyDictionary<string, FeatureValue>? features,
        Func<string, RouteDecision, WarmSession, long, Result<T>> serve,
        CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var routed = Route(model, routingKey, region);
        if (!routed.IsSuccess)
        {
            return routed.Error;
        }

        var (decision, session) = routed.Value;
        var id = requestId ?? recent.NewId();
        try
        {
            var injected = await InjectFaultAsync(session.Version, decision.Arm, id, routingKey, region, features, start, cancellationToken);
            return injected ?? serve(id, decision, session, start);
        }
        finally
        {
            session.Release();
        }
    }

    /// <summary>
    /// Applies an injected fault inside the serving path, so metrics and the log see it exactly as
    /// a real one: the added latency is really waited (up to the request timeout, beyond which
    /// the request times out), then the error rate is drawn. Null when the request may proceed.
    /// </summary>
    private async ValueTask<Error?> InjectFaultAsync(
        ServableVersion version,
        Arm arm,
        string requestId,
        string? routingKey,
        string? region,
        IReadOnlyDictionary<string, FeatureValue>? features,
        long start,
        CancellationToken cancellationToken)
    {
        if (chaos.Find(version.Model, version.Version) is not { } fault)
        {
            return null;
        }

        var timeoutMs = options.Value.RequestTimeoutMs;
        if (fault.AddedLatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(fault.AddedLatencyMs, timeoutMs)), time, cancellationToken);
            if (fault.AddedLatencyMs >= timeoutMs)
            {
                Finish(requestId, version, arm, routingKey, region, features, null, null, null, start, RequestStatus.Timeout, "timed out (injected latency)", countInMetrics: true);
                return Error.Unavailable($"{version.Model} v{version.Version} did not answer within {timeoutMs} ms (an injected chaos fault adds {fault.AddedLatencyMs} ms); retry, or clear the fault with DELETE /api/chaos.");
            }
        }

        if (DrawsInjectedError(fault))
        {
            Finish(requestId, version, arm, routingKey, region, features, null, null, null, start, RequestStatus.Error, "injected error", countInMetrics: true);
            return Error.Unavailable($"{version.Model} v{version.Version} failed with an injected chaos error (rate {fault.ErrorRate:0.###}); retry, or clear the fault with DELETE /api/chaos.");
        }

        return null;
    }

    private bool DrawsInjectedError(ChaosFault fault)
    {
        if (fault.ErrorRate <= 0)
        {
            return false;
        }

        double draw;
        lock (random)
        {
            draw = random.NextDouble();
        }

        return ChaosBoard.DrawsError(fault, draw);
    }

    private Result<Prediction> ServePredict(PredictRequest request, string requestId, RouteDecision decision, WarmSession session, long start)
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
                Finish(requestId, version, decision.Arm, request.RoutingKey, request.Region, request.Features, null, null, null, start, RequestStatus.Error, encoded.Error.Detail, countInMetrics: false);
                return encoded.Error;
            }

            var outputs = RunCached(session, input);
            double raw = outputs[0];
            var score = calibration.Calibrate(version.Model, version.Version, raw);
            Finish(requestId, version, decision.Arm, request.RoutingKey, request.Region, request.Features, input.ToArray(), outputs, score, start, RequestStatus.Ok, null, countInMetrics: true, rawScore: raw);
            if (decision.Mirror && decision.MirrorVersion is { } mirror)
            {
                shadows.Offer(new ShadowWork(requestId, version.Model, mirror, request.Features, null, 1, request.RoutingKey, request.Region));
            }

            return new Prediction(requestId, version.Model, version.Version, version.EncoderRef, score, decision.Arm);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private Result<InferResult> ServeInfer(InferRequest request, string requestId, RouteDecision decision, WarmSession session, long start)
    {
        var version = session.Version;
        var checkedInput = CheckInput(request, session);
        if (!checkedInput.IsSuccess)
        {
            Finish(requestId, version, decision.Arm, request.RoutingKey, request.Region, null, null, null, null, start, RequestStatus.Error, checkedInput.Error.Detail, countInMetrics: false);
            return checkedInput.Error;
        }

        var (input, rows) = checkedInput.Value;
        IReadOnlyList<TensorOutput> outputs;
        if (rows == 1)
        {
            outputs = SplitRow(version, RunCached(session, input.Data));
        }
        else
        {
            outputs = session.RunBatch(input.Data, rows);
        }

        var first = outputs[0].Data;
        Finish(requestId, version, decision.Arm, request.RoutingKey, request.Region, null, input.Data, first, first.Length > 0 ? first[0] : null, start, RequestStatus.Ok, null, countInMetrics: true, rawScore: first.Length > 0 ? first[0] : null);
        if (decision.Mirror && decision.MirrorVersion is { } mirror)
        {
            shadows.Offer(new ShadowWork(requestId, version.Model, mirror, null, input.Data, rows, request.RoutingKey, request.Region));
        }

        return new InferResult(requestId, version.Model, version.Version, decision.Arm, outputs);
    }

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

    /// <summary>
    /// One row through the version's cache namespace when the model is cached (keyed by digest,
    /// encoder and input, so versions never share), else straight through the session. The
    /// returned array is fresh: callers may keep it (the log does).
    /// </summary>
    private float[] RunCached(WarmSession session, ReadOnlySpan<float> input)
    {
        var version = session.Version;
        var cached = cache.IsEnabled(version.Model);
        if (cached && cache.TryGet(version.Model, version.Version, version.Digest, version.EncoderRef, input, out var hit))
        {
            return [.. hit];
        }

        var output = new float[session.OutputWidth];
        session.RunSingle(input, output);
        if (cached)
        {
            cache.Set(version.Model, version.Version, version.Digest, version.EncoderRef, input, output);
        }

        return output;
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

    private void Finish(
        string requestId,
        ServableVersion version,
        Arm arm,
        string? routingKey,
        string? region,
        IReadOnlyDictionary<string, FeatureValue>? features,
        float[]? input,
        float[]? outputs,
        double? score,
        long start,
        RequestStatus status,
        string? error,
        bool countInMetrics,
        double? rawScore = null)
    {
        var latency = time.GetElapsedTime(start);
        if (countInMetrics)
        {
            // Drift histograms take the features of answered requests only.
            metrics.RecordServed(version.Model, version.Version, arm, latency, status, status == RequestStatus.Ok ? features : null);
        }

        if (status == RequestStatus.Ok && arm != Arm.Shadow)
        {
            recent.Add(new RequestRef(requestId, version.Model, version.Version, arm, rawScore));
        }

        log.Enqueue(new InferenceRecord(
            requestId, time.GetUtcNow(), version.Model, version.Version, arm, routingKey, region,
            features, version.Encoder?.Spec, input, outputs, score, latency.TotalMilliseconds, status, error));
    }

    private Result<(RouteDecision Decision, WarmSession Session)> Route(string model, string? routingKey, string? region)
    {
        var table = holder.Current(model);
        if (table is null)
        {
            return TrafficRouter.NotServed(model);
        }

        // With a routing key the stable hash decides, so the shared random source is not touched.
        double draw = 0;
        double mirrorDraw = 0;
        if (string.IsNullOrEmpty(routingKey))
        {
            lock (random)
            {
                draw = random.NextDouble();
                mirrorDraw = random.NextDouble();
            }
        }

        var decision = RouteSelector.Select(table, routingKey, region, draw, mirrorDraw);
        if (Lease(model, decision.Version) is { } session)
        {
            return (decision, session);
        }

        if (table.BaselineVersion is { } baseline && baseline != decision.Version && Lease(model, baseline) is { } fallback)
        {
            Interlocked.Increment(ref _fallbacks);
            Log.FellBack(logger, model, decision.Version, baseline);
            return (new RouteDecision(baseline, Arm.Baseline, decision.Mirror, decision.MirrorVersion), fallback);
        }

        return Error.Unavailable($"{model} v{decision.Version} is not warm or failed its health check, and no healthy baseline can answer; see GET /v2/models/{model}/ready.");
    }

    private WarmSession? Lease(string model, int version) =>
        pool.FindHealthy(model, version) is { } session && session.TryAcquire() ? session : null;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "{Model} v{Version} is not healthy; answered by baseline v{Baseline}")]
        public static partial void FellBack(ILogger logger, string model, int version, int baseline);
    }
}
