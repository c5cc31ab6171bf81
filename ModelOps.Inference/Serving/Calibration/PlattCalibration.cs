namespace ModelOps.Inference.Serving.Calibration;

/// <summary>
/// Online Platt scaling of one version's scores: p' = sigmoid(A·logit(p) + B).
/// </summary>
/// <remarks>
/// <para>Assumption: given the raw score p, the outcome is Bernoulli with a probability that is
/// logistic in logit(p). Then A and B that minimise log loss make p' calibrated; a model that is
/// over-confident gets A &lt; 1, a biased one B ≠ 0.</para>
/// <para>Each outcome takes one step of stochastic gradient descent on its log loss:
/// with z = logit(p), q = sigmoid(A·z + B): A ← A − η(q − y)·z, B ← B − η(q − y).
/// Online SGD rather than a batch fit: memory is two numbers however many outcomes arrive, and a
/// constant step size weights recent outcomes more, so the fit follows drift in the model or the
/// traffic instead of averaging it away. The price is noise of order √η around the optimum.</para>
/// <para>The parameters are an immutable <see cref="CalibrationState"/> swapped whole, so
/// <see cref="Calibrate"/> reads without a lock and never sees A from one step and B from another.
/// Observers serialise on a lock; a step is a few multiplications, so contention stays low even
/// with every request's feedback going through one version.</para>
/// </remarks>
public sealed class PlattCalibration
{
    /// <summary>Keeps logit finite: |logit| ≤ ~13.8, which also bounds each step.</summary>
    public const double Epsilon = 1e-6;

    private readonly Lock _observeLock = new();
    private readonly double _learningRate;
    private CalibrationState _state;

    public PlattCalibration(double learningRate, CalibrationState initial)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        _learningRate = learningRate;
        _state = Checked(initial);
    }

    public CalibrationState State => Volatile.Read(ref _state);

    public double Calibrate(double rawProbability) => Apply(State, rawProbability);

    /// <summary>
    /// One gradient step towards <paramref name="outcome"/> (clamped to [0, 1]). Returns false and
    /// changes nothing when either number is not finite, so one bad feedback row cannot poison A and B.
    /// </summary>
    public bool Observe(double rawProbability, double outcome)
    {
        if (!double.IsFinite(rawProbability) || !double.IsFinite(outcome))
        {
            return false;
        }

        var y = Math.Clamp(outcome, 0, 1);
        var z = Logit(rawProbability);
        lock (_observeLock)
        {
            var s = _state;
            var error = Sigmoid((s.A * z) + s.B) - y;
            Volatile.Write(ref _state, new CalibrationState(s.A - (_learningRate * error * z), s.B - (_learningRate * error), s.Observations + 1));
        }

        return true;
    }

    /// <summary>Replaces the parameters (a restore); later observations continue from them.</summary>
    public void Reset(CalibrationState state)
    {
        var valid = Checked(state);
        lock (_observeLock)
        {
            Volatile.Write(ref _state, valid);
        }
    }

    public static double Apply(CalibrationState state, double rawProbability) => Sigmoid((state.A * Logit(rawProbability)) + state.B);

    /// <summary>logit of p clamped to [ε, 1 − ε].</summary>
    public static double Logit(double p)
    {
        var clamped = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return Math.Log(clamped / (1 - clamped));
    }

    /// <summary>Evaluated on the side that cannot overflow Exp.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static CalibrationState Checked(CalibrationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.IsValid ? state : throw new ArgumentException($"Calibration parameters must be finite, got A={state.A}, B={state.B}.", nameof(state));
    }
}
