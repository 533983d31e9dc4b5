namespace KlingPS.Benchmark;

/// <summary>The figures of a run: printed as each is measured, and again as one table at the end.</summary>
internal sealed class Report
{
    private readonly List<Row> _rows = [];

    /// <summary>A figure with a goal: PASS or MISS.</summary>
    public void Goal(string part, string figure, string value, string goal, bool met) => Add(new Row(part, figure, value, goal, met ? "PASS" : "MISS"));

    /// <summary>A figure without a goal (a baseline or a detail).</summary>
    public void Info(string part, string figure, string value) => Add(new Row(part, figure, value, "", "info"));

    /// <summary>A figure that could not be measured here, and why.</summary>
    public void Skipped(string part, string figure, string why) => Add(new Row(part, figure, "skipped", "", why));

    /// <summary>A line of context (timeline, breakdown) printed during the run only.</summary>
    public static void Note(string text) => Console.WriteLine("    " + text);

    private void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine(row.Value == "skipped"
            ? $"{row.Part} ({row.Figure}): skipped, {row.Result}"
            : $"{row.Part} {row.Figure}: {row.Value}{(row.Goal.Length > 0 ? $" (goal {row.Goal}: {row.Result})" : "")}");
    }

    public void PrintTable()
    {
        Console.WriteLine();
        var figure = Math.Max(6, _rows.Count == 0 ? 0 : _rows.Max(r => r.Part.Length + 1 + r.Figure.Length));
        var value = Math.Max(5, _rows.Count == 0 ? 0 : _rows.Max(r => r.Value.Length));
        var goal = Math.Max(4, _rows.Count == 0 ? 0 : _rows.Max(r => r.Goal.Length));
        Console.WriteLine($"{"figure".PadRight(figure)}  {"value".PadRight(value)}  {"goal".PadRight(goal)}  result");
        Console.WriteLine($"{new string('-', figure)}  {new string('-', value)}  {new string('-', goal)}  ------");
        foreach (var r in _rows)
            Console.WriteLine($"{(r.Part + " " + r.Figure).PadRight(figure)}  {r.Value.PadRight(value)}  {r.Goal.PadRight(goal)}  {r.Result}");
        var missed = _rows.Count(r => r.Result == "MISS");
        Console.WriteLine();
        Console.WriteLine($"{_rows.Count(r => r.Result == "PASS")} goals met, {missed} missed, {_rows.Count(r => r.Value == "skipped")} skipped.");
    }

    private sealed record Row(string Part, string Figure, string Value, string Goal, string Result);
}
