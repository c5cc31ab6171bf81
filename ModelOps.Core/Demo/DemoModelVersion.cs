using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Demo;

/// <summary>
/// One trained version of the demo ctr-ranker model, ready to register: artifact bytes,
/// the encoder it needs, provenance and holdout metrics (computed, never typed in).
/// </summary>
public sealed record DemoModelVersion(
    int VersionLabel,
    byte[] OnnxBytes,
    string EncoderName,
    int EncoderVersion,
    FeatureEncoderSpec EncoderSpec,
    LinearModel Model,
    string TrainingRunId,
    string DatasetHash,
    string Description,
    IReadOnlyDictionary<string, double> Metrics);
