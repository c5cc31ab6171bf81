using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Requests;

public sealed record InferResult(string RequestId, string Model, int Version, Arm Arm, IReadOnlyList<TensorOutput> Outputs);
