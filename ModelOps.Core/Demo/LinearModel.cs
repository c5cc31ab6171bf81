namespace ModelOps.Core.Demo;

/// <summary>
/// A logistic-regression model: probability = sigmoid(w · x + b). Weights are float because
/// that is what the ONNX graph stores; scoring here must match ONNX Runtime's output.
/// </summary>
public sealed record LinearModel(IReadOnlyList<float> Weights, float Bias)
{
    public int InputWidth => Weights.Count;

    public double Predict(ReadOnlySpan<float> input)
    {
        if (input.Length != Weights.Count)
        {
            throw new ArgumentException($"The input has {input.Length} values; the model takes {Weights.Count}.", nameof(input));
        }

        double z = Bias;
        for (var i = 0; i < input.Length; i++)
        {
            z += (double)Weights[i] * input[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }
}
