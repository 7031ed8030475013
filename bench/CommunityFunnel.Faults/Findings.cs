namespace CommunityFunnel.Faults;

/// <summary>What a scenario measured (Markdown tables, pasted into the README as they are) and the invariants it checked.</summary>
internal sealed class Findings
{
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    public static void Heading(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
    }

    public static void Table(params (string Figure, object Value)[] rows)
    {
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        foreach (var (figure, value) in rows)
        {
            Console.WriteLine($"| {figure} | {value} |");
        }

        Console.WriteLine();
    }

    public void Check(string invariant, bool holds, string evidence)
    {
        Console.WriteLine($"- {(holds ? "ok" : "**FAILED**")}: {invariant} ({evidence})");
        if (!holds)
        {
            _failures.Add($"{invariant}: {evidence}");
        }
    }
}
