namespace ModelOps.Core;

internal static class AssemblyMarker;
