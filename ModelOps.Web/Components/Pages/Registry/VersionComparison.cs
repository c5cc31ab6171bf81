using System.Globalization;
using ModelOps.Core.Registry;

namespace ModelOps.Web.Components.Pages.Registry;

/// <summary>One compared field of two model versions; <see cref="Differs"/> is said in words on the page, not by colour alone.</summary>
public sealed record ComparedField(string Section, string Field, string Left, string Right, bool Differs, string? Change = null);

/// <summary>Two versions of a model side by side: metrics (with the change), signature, encoder and lineage. A pure function of the two registry views.</summary>
public static class VersionComparison
{
    private const string None = "—";

    public static IReadOnlyList<ComparedField> Compare(ModelVersionView left, ModelVersionView right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var fields = new List<ComparedField>();
        foreach (var metric in left.Metrics.Keys.Union(right.Metrics.Keys).Order(StringComparer.Ordinal))
        {
            double? a = left.Metrics.TryGetValue(metric, out var x) ? x : null, b = right.Metrics.TryGetValue(metric, out var y) ? y : null;
            var change = a is { } from && b is { } to ? (to - from).ToString("+0.0000;-0.0000;0", CultureInfo.InvariantCulture) : null;
            fields.Add(new("Metrics", metric, Number(a), Number(b), a != b, change));
        }

        fields.Add(Field("Metrics", "decision threshold", Number(left.DecisionThreshold), Number(right.DecisionThreshold)));
        Tensors(fields, "inputs", left.Inputs, right.Inputs);
        Tensors(fields, "outputs", left.Outputs, right.Outputs);
        fields.Add(Field("Encoder", "encoder version", left.EncoderVersion ?? None, right.EncoderVersion ?? None));
        fields.Add(Field("Lineage", "training run", left.TrainingRunId ?? None, right.TrainingRunId ?? None));
        fields.Add(Field("Lineage", "dataset hash", left.DatasetHash ?? None, right.DatasetHash ?? None));
        fields.Add(Field("Lineage", "artifact digest", left.Digest, right.Digest));
        fields.Add(Field("Lineage", "size (bytes)", left.SizeBytes.ToString(CultureInfo.InvariantCulture), right.SizeBytes.ToString(CultureInfo.InvariantCulture)));
        fields.Add(Field("Lineage", "created", $"{left.CreatedAt.UtcDateTime:u} by {left.CreatedBy}", $"{right.CreatedAt.UtcDateTime:u} by {right.CreatedBy}"));
        fields.Add(Field("Lineage", "description", left.Description ?? None, right.Description ?? None));
        fields.Add(Field("State", "frozen by an incident", left.Frozen ? "yes" : "no", right.Frozen ? "yes" : "no"));
        fields.Add(Field("State", "ever served", left.EverServed ? "yes" : "no", right.EverServed ? "yes" : "no"));
        return fields;
    }

    /// <summary>Tensors matched by name: a tensor only one side has is a difference too.</summary>
    private static void Tensors(List<ComparedField> fields, string kind, IReadOnlyList<TensorSpec> left, IReadOnlyList<TensorSpec> right)
    {
        foreach (var name in left.Select(t => t.Name).Union(right.Select(t => t.Name)))
        {
            fields.Add(Field("Signature", $"{kind}: {name}", Describe(left.FirstOrDefault(t => t.Name == name)), Describe(right.FirstOrDefault(t => t.Name == name))));
        }
    }

    private static ComparedField Field(string section, string field, string left, string right) =>
        new(section, field, left, right, !string.Equals(left, right, StringComparison.Ordinal));

    private static string Describe(TensorSpec? tensor) => tensor is null ? "absent" : $"{tensor.Datatype} [{string.Join(", ", tensor.Shape)}]";

    private static string Number(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? None;
}
