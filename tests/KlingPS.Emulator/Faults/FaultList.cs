using System.Collections;

namespace KlingPS.Emulator;

/// <summary>
/// The active fault rules, in order; the first rule that fires for a request wins. Thread-safe, and
/// changeable while requests run. Implements Add + IEnumerable so object initializers work:
/// <c>new EmulatorOptions { Faults = { FaultRule.DropAfterAccept().ForTarget(FaultTarget.Create) } }</c>.
/// </summary>
public sealed class FaultList : IEnumerable<FaultRule>
{
    // Counters are per rule and start at zero whenever the rule is added.
    private sealed class Entry(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;
        public int Seen { get; set; }
        public int Applied { get; set; }
    }

    private readonly List<Entry> entries = [];

    public int Count { get { lock (entries) return entries.Count; } }

    public void Add(FaultRule rule)
    {
        rule.Validate();
        lock (entries) entries.Add(new Entry(rule));
    }

    public void Clear() { lock (entries) entries.Clear(); }

    /// <summary>Validates all rules first, so a bad list leaves the current rules in place.</summary>
    public void Replace(IEnumerable<FaultRule> rules)
    {
        var fresh = rules.Select(rule => { rule.Validate(); return new Entry(rule); }).ToList();
        lock (entries)
        {
            entries.Clear();
            entries.AddRange(fresh);
        }
    }

    /// <summary>
    /// Each rule counts only the requests it targets, so FirstN and EveryNth mean "of the requests
    /// this rule looks at". A rule that does not fire lets later rules try.
    /// </summary>
    /// <param name="fits">
    /// False for a rule this request cannot show (a WrongContentRange without a Range header, a BadTaskField
    /// for a task the answer does not hold): such a rule does not look at the request and counts nothing.
    /// </param>
    internal FaultRule? Match(FaultTarget target, string? route, SeededRandom random, Func<FaultRule, bool>? fits = null)
    {
        lock (entries)
        {
            foreach (var entry in entries)
            {
                if (!entry.Rule.Targets(target, route) || fits?.Invoke(entry.Rule) == false) continue;
                entry.Seen++;
                if (!entry.Rule.Fires(entry.Seen, entry.Applied, random)) continue;
                entry.Applied++;
                return entry.Rule;
            }
            return null;
        }
    }

    public IEnumerator<FaultRule> GetEnumerator()
    {
        lock (entries) return entries.Select(e => e.Rule).ToList().GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
