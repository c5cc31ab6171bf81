using System.Globalization;
using System.Text.Json;

namespace ModelOps.Benchmarks.Serving;

/// <summary>The figures a serving run produced, printed as one table at the end.</summary>
public sealed class ServingFigures
{
    private readonly List<Figure> _figures = [];

    public void Add(string benchmark, string figure, double value, string unit, string format = "F1") =>
        _figures.Add(new Figure(benchmark, figure, value.ToString(format, CultureInfo.InvariantCulture), unit));

    public void AddText(string benchmark, string figure, string value, string unit = "") =>
        _figures.Add(new Figure(benchmark, figure, value, unit));

    public void AddRange(IEnumerable<Figure> figures) => _figures.AddRange(figures);

    /// <summary>Written by a harness run as a child process, read back by the suite.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(_figures));

    public static IReadOnlyList<Figure> Load(string path) => JsonSerializer.Deserialize<List<Figure>>(File.ReadAllText(path)) ?? [];

    public void Print()
    {
        if (_figures.Count == 0)
        {
            return;
        }

        var benchmarkWidth = Math.Max("benchmark".Length, _figures.Max(f => f.Benchmark.Length));
        var figureWidth = Math.Max("figure".Length, _figures.Max(f => f.Name.Length));
        var valueWidth = Math.Max("value".Length, _figures.Max(f => f.Value.Length));
        var unitWidth = Math.Max("unit".Length, _figures.Max(f => f.Unit.Length));
        var rule = $"+{new string('-', benchmarkWidth + 2)}+{new string('-', figureWidth + 2)}+{new string('-', valueWidth + 2)}+{new string('-', unitWidth + 2)}+";
        Console.WriteLine();
        Console.WriteLine(rule);
        Console.WriteLine($"| {"benchmark".PadRight(benchmarkWidth)} | {"figure".PadRight(figureWidth)} | {"value".PadLeft(valueWidth)} | {"unit".PadRight(unitWidth)} |");
        Console.WriteLine(rule);
        string? last = null;
        foreach (var figure in _figures)
        {
            var benchmark = figure.Benchmark == last ? string.Empty : figure.Benchmark;
            last = figure.Benchmark;
            Console.WriteLine($"| {benchmark.PadRight(benchmarkWidth)} | {figure.Name.PadRight(figureWidth)} | {figure.Value.PadLeft(valueWidth)} | {figure.Unit.PadRight(unitWidth)} |");
        }

        Console.WriteLine(rule);
    }

    /// <summary>The same table as Markdown, for a doc.</summary>
    public string ToMarkdown()
    {
        var lines = new List<string> { "| benchmark | figure | value | unit |", "| --- | --- | ---: | --- |" };
        string? last = null;
        foreach (var figure in _figures)
        {
            lines.Add($"| {(figure.Benchmark == last ? string.Empty : figure.Benchmark)} | {figure.Name} | {figure.Value} | {figure.Unit} |");
            last = figure.Benchmark;
        }

        return string.Join('\n', lines) + "\n";
    }

    public sealed record Figure(string Benchmark, string Name, string Value, string Unit);
}
