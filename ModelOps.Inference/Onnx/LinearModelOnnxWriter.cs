using Google.Protobuf;
using ModelOps.Core.Demo;
using ModelOps.Inference.Onnx.Protos;

namespace ModelOps.Inference.Onnx;

/// <summary>
/// Writes a linear model as the ONNX graph input[N, W] → Gemm(weights[W, 1], bias[1]) →
/// Sigmoid → probability[N, 1]. The bytes depend only on the model, so equal weights give
/// equal digests (protobuf serialises fields in a fixed order and nothing here is timestamped).
/// </summary>
public sealed class LinearModelOnnxWriter : ILinearModelSerializer
{
    public const string InputName = "input";
    public const string OutputName = "probability";

    // IR 9 / opset 17 are what ONNX Runtime 1.31 reads without conversion (ENVIRONMENT.md).
    private const long IrVersion = 9;
    private const long OpsetVersion = 17;
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    public byte[] Serialize(LinearModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var width = model.InputWidth;
        var weights = new TensorProto { Name = "weights", DataType = FloatType, Dims = { width, 1 } };
        weights.FloatData.AddRange(model.Weights);
        var bias = new TensorProto { Name = "bias", DataType = FloatType, Dims = { 1 }, FloatData = { model.Bias } };
        var graph = new GraphProto
        {
            Name = "linear_sigmoid",
            Initializer = { weights, bias },
            Node =
            {
                new NodeProto { Name = "gemm", OpType = "Gemm", Input = { InputName, "weights", "bias" }, Output = { "logit" } },
                new NodeProto { Name = "sigmoid", OpType = "Sigmoid", Input = { "logit" }, Output = { OutputName } },
            },
            Input = { FloatTensor(InputName, Dynamic("N"), Fixed(width)) },
            Output = { FloatTensor(OutputName, Dynamic("N"), Fixed(1)) },
        };
        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ModelOps",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion } },
        };
        return onnx.ToByteArray();
    }

    private static ValueInfoProto FloatTensor(string name, params TensorShapeProto.Types.Dimension[] dims) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = new TensorShapeProto { Dim = { dims } } } },
    };

    private static TensorShapeProto.Types.Dimension Dynamic(string name) => new() { DimParam = name };

    private static TensorShapeProto.Types.Dimension Fixed(long size) => new() { DimValue = size };
}
