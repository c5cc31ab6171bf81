using System.Text.Json;
using ModelOps.Core.Registry;
using ModelOps.Inference.Registry;

namespace ModelOps.Web.Registry;

/// <summary>
/// The child side of isolated validation: <c>ModelOps.Web inspect-artifact &lt;path&gt;</c> loads the
/// file in ONNX Runtime and prints one JSON line, the signature or the refusal, then exits.
/// </summary>
public static class ArtifactInspectionChild
{
    public const string Command = "inspect-artifact";

    public static async Task<int> RunAsync(string path)
    {
        var result = await new OnnxArtifactInspector().InspectAsync(path, CancellationToken.None);
        var reply = result.IsSuccess
            ? new InspectionReply(true, result.Value, null)
            : new InspectionReply(false, null, result.Error.Detail);
        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(reply, JsonSerializerOptions.Web));
        return 0;
    }
}

/// <summary>What the child prints: a signature, or the reason the artifact was refused.</summary>
public sealed record InspectionReply(bool Ok, ModelSignature? Signature, string? Detail);
