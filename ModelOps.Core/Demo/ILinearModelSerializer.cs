namespace ModelOps.Core.Demo;

/// <summary>
/// Turns a trained linear model into artifact bytes. Declared here because Core may not depend
/// on ONNX; the Inference project implements it.
/// </summary>
public interface ILinearModelSerializer
{
    byte[] Serialize(LinearModel model);
}
