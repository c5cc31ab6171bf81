namespace ModelOps.Core.Demo;

/// <summary>
/// L2-regularised logistic regression fitted by Newton's method (IRLS) in plain C#.
/// Deterministic: no randomness, fixed iteration order, so equal data gives equal weights.
/// The bias is not penalised, which keeps the Hessian positive definite even when one-hot
/// groups are collinear with it (the penalty breaks that tie).
/// </summary>
public sealed class LogisticRegressionTrainer(double l2 = 1.0, int maxIterations = 30, double tolerance = 1e-7)
{
    public LinearModel Train(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels)
    {
        if (rows.Count == 0 || rows.Count != labels.Count)
        {
            throw new ArgumentException($"Training needs rows and one label per row; got {rows.Count} rows and {labels.Count} labels.", nameof(labels));
        }

        var width = rows[0].Length;
        var size = width + 1; // the last coefficient is the bias
        var theta = new double[size];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var (gradient, hessian) = Derivatives(rows, labels, theta, width);
            var step = CholeskySolve(hessian, gradient, size);
            var largest = 0.0;
            for (var j = 0; j < size; j++)
            {
                theta[j] -= step[j];
                largest = Math.Max(largest, Math.Abs(step[j]));
            }

            if (largest < tolerance)
            {
                break;
            }
        }

        return new LinearModel([.. theta.Take(width).Select(w => (float)w)], (float)theta[width]);
    }

    private (double[] Gradient, double[] Hessian) Derivatives(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, double[] theta, int width)
    {
        var size = width + 1;
        var gradient = new double[size];
        var hessian = new double[size * size];
        var x = new double[size];
        x[width] = 1;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var z = theta[width];
            for (var j = 0; j < width; j++)
            {
                x[j] = row[j];
                z += theta[j] * row[j];
            }

            var p = 1 / (1 + Math.Exp(-z));
            var residual = p - (labels[i] ? 1 : 0);
            var curvature = p * (1 - p);
            for (var j = 0; j < size; j++)
            {
                if (x[j] == 0)
                {
                    continue; // one-hot rows are mostly zeros
                }

                gradient[j] += residual * x[j];
                var scaled = curvature * x[j];
                for (var k = 0; k <= j; k++)
                {
                    hessian[(j * size) + k] += scaled * x[k];
                }
            }
        }

        for (var j = 0; j < width; j++)
        {
            gradient[j] += l2 * theta[j];
            hessian[(j * size) + j] += l2;
        }

        return (gradient, hessian);
    }

    // Solves H s = g for symmetric positive definite H, of which only the lower triangle is filled.
    private static double[] CholeskySolve(double[] hessian, double[] gradient, int size)
    {
        var lower = new double[size * size];
        for (var j = 0; j < size; j++)
        {
            for (var k = 0; k <= j; k++)
            {
                var sum = hessian[(j * size) + k];
                for (var m = 0; m < k; m++)
                {
                    sum -= lower[(j * size) + m] * lower[(k * size) + m];
                }

                lower[(j * size) + k] = j == k
                    ? Math.Sqrt(Math.Max(sum, 1e-12))
                    : sum / lower[(k * size) + k];
            }
        }

        var forward = new double[size];
        for (var j = 0; j < size; j++)
        {
            var sum = gradient[j];
            for (var m = 0; m < j; m++)
            {
                sum -= lower[(j * size) + m] * forward[m];
            }

            forward[j] = sum / lower[(j * size) + j];
        }

        var solution = new double[size];
        for (var j = size - 1; j >= 0; j--)
        {
            var sum = forward[j];
            for (var m = j + 1; m < size; m++)
            {
                sum -= lower[(m * size) + j] * solution[m];
            }

            solution[j] = sum / lower[(j * size) + j];
        }

        return solution;
    }
}
