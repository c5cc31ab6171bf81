namespace ModelOps.Inference;

internal static class AssemblyMarker;
