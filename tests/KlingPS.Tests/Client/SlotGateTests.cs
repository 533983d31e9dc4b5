using KlingPS.Core.Client;

namespace KlingPS.Tests.Client;

/// <summary>
/// The slot gate's rules, step by step: the gate over a hand-fed list of running tasks and a stand-in for the service's
/// answers. Its own loop never acts here (its intervals are hours); each turn is the test's, so every assertion is on
/// which submissions got out, in which order, and what was asked: never on timing. SlotLearningTests run it against the
/// emulator.
/// </summary>
public sealed class SlotGateTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly RunningTasks running = new();
    private readonly HashSet<string> ended = [];
    private readonly List<string> asked = [];
    private readonly SlotGate gate;

    public SlotGateTests()
    {
        // Looks are due 1 to 2 hours after a task was last heard of, probes 10 to 20 hours after a 1303: tests choose the time of each turn.
        var options = new KlingClientOptions(new KlingApiKey("k")) { RetryInterval = Hour, MaximumRetryDelay = Hour, ProbeInterval = 10 * Hour, MaximumProbeDelay = 10 * Hour };
        gate = new SlotGate(running, options, (tasks, _) =>
        {
            // As the client does: each answer passes through the running tasks, and a task seen final frees its slot.
            foreach (var task in tasks)
            {
                asked.Add(task.TaskId);
                See(task.TaskId, ended.Contains(task.TaskId));
            }
            return Task.CompletedTask;
        });
    }

    public void Dispose() => gate.Dispose();

    private void See(string id, bool final)
    {
        var status = final ? KlingTaskStatus.Succeeded : KlingTaskStatus.Processing;
        if (running.Saw(new KlingTask(id, KlingRoute.ImageToVideo, status, null, null, null, null, [], null, null), mayAdd: true)) gate.Released();
    }

    private void Run(params string[] ids) { foreach (var id in ids) See(id, final: false); }

    /// <summary>An answer with the service's times, from which the running tasks learn how long tasks take.</summary>
    private void Stamped(string id, KlingTaskStatus status, DateTime created, DateTime? updated = null)
    {
        var task = new KlingTask(id, KlingRoute.ImageToVideo, status, null, null, created, updated, [], null, null);
        if (running.Saw(task, mayAdd: true)) gate.Released();
    }

    private static DateTime Later(double hours) => DateTime.UtcNow.AddHours(hours);

    private void End(string id) => See(id, final: true);

    /// <summary>A submission that went out and was accepted: the client counts its task running, then tells the gate.</summary>
    private void Accept(SlotTicket ticket, string id)
    {
        Run(id);
        gate.Created(ticket);
    }

    /// <summary>A gate that has learned a limit of <paramref name="tasks"/>: that many run, and one more create was refused.</summary>
    private async Task<SlotTicket> LearnedAsync(params string[] tasks)
    {
        Run(tasks);
        var refused = gate.NewTicket();
        await gate.EnterAsync(refused, null, CancellationToken.None); // open: passes at once
        gate.Refused(refused, null);
        return refused;
    }

    private Task Enter(SlotTicket ticket, CancellationToken ct = default) => gate.EnterAsync(ticket, null, ct);

    [Fact]
    public void An_open_gate_lets_every_submission_out()
    {
        var entered = Enumerable.Range(0, 20).Select(_ => Enter(gate.NewTicket())).ToList();

        Assert.All(entered, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Null(gate.Limit);
    }

    [Fact]
    public async Task A_1303_teaches_the_limit_from_the_tasks_then_running_and_holds_the_next_submissions()
    {
        await LearnedAsync("a", "b", "c");
        int? heard = null;

        var next = gate.EnterAsync(gate.NewTicket(), limit => heard = limit, CancellationToken.None);

        Assert.Equal(3, gate.Limit);
        Assert.False(next.IsCompleted);
        Assert.Equal(3, heard);
    }

    [Fact]
    public async Task Each_task_seen_final_lets_exactly_one_submission_out_and_the_refused_one_goes_first()
    {
        var refused = await LearnedAsync("a", "b");
        var second = gate.NewTicket();
        var third = gate.NewTicket();
        var waiting = new[] { Enter(second), Enter(third) };
        var again = Enter(refused); // its next attempt comes back after the later ones, and goes ahead of them

        End("a");
        Assert.True(again.IsCompletedSuccessfully);
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        Accept(refused, "c");
        Assert.All(waiting, t => Assert.False(t.IsCompleted)); // b and c run: the limit again
        End("b");
        Assert.True(waiting[0].IsCompletedSuccessfully);
        Assert.False(waiting[1].IsCompleted);
        End("c");
        Assert.True(waiting[1].IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Creates_accepted_after_the_1303_raise_the_limit_to_what_runs()
    {
        // Four creates were out at once; the refusal came back before two of the acceptances.
        Run("a", "b");
        var tickets = Enumerable.Range(0, 3).Select(_ => gate.NewTicket()).ToList();
        foreach (var t in tickets) await Enter(t);
        gate.Refused(tickets[0], null);
        Assert.Equal(2, gate.Limit);

        Accept(tickets[1], "c");
        Accept(tickets[2], "d");

        Assert.Equal(4, gate.Limit);
        var next = Enter(gate.NewTicket());
        Assert.False(next.IsCompleted);
        End("a");
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_create_that_fails_otherwise_gives_its_slot_to_the_next_submission()
    {
        await LearnedAsync("a", "b");
        End("a");
        var admitted = gate.NewTicket();
        await Enter(admitted); // the freed slot
        var next = Enter(gate.NewTicket());
        Assert.False(next.IsCompleted);

        gate.Failed(admitted); // e.g. the image could not be read: no task, no slot held

        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Until_a_task_was_seen_ending_a_look_asks_only_about_the_oldest()
    {
        await LearnedAsync("a", "b", "c");
        var waiting = new[] { Enter(gate.NewTicket()), Enter(gate.NewTicket()) };
        ended.UnionWith(["a", "b"]);

        await gate.TickAsync(Later(3), CancellationToken.None);

        Assert.Equal(["a"], asked);
        Assert.Equal([true, false], waiting.Select(t => t.IsCompleted));
    }

    [Fact]
    public async Task Until_a_task_was_seen_ending_the_oldest_is_the_one_created_first_then_the_one_with_the_lowest_id()
    {
        var created = Later(-5);
        Stamped("b", KlingTaskStatus.Processing, created);
        Stamped("c", KlingTaskStatus.Processing, created.AddMilliseconds(-1));
        Stamped("a", KlingTaskStatus.Processing, created);
        await LearnedAsync();
        _ = Enter(gate.NewTicket());

        await gate.TickAsync(Later(3), CancellationToken.None);
        Stamped("d", KlingTaskStatus.Processing, created.AddMilliseconds(-1));
        await gate.TickAsync(Later(6), CancellationToken.None);

        Assert.Equal(["c", "c"], asked);
    }

    [Fact]
    public async Task Until_a_task_was_seen_ending_a_look_comes_a_shortest_gap_after_a_waiters_poll_would()
    {
        // A waiter polls its oldest task at least RetryInterval (an hour here) after it last heard of it; with a waiter the
        // gate hears its answers, and asks nothing itself at the same moment.
        await LearnedAsync("a", "b");
        _ = Enter(gate.NewTicket());

        await gate.TickAsync(Later(1.5), CancellationToken.None);
        Assert.Empty(asked);
        await gate.TickAsync(Later(2.5), CancellationToken.None);
        Assert.Equal(["a"], asked);
    }

    [Fact]
    public async Task A_look_asks_about_every_task_expected_to_have_ended_and_each_one_ended_lets_one_submission_out()
    {
        // One task took 10 hours: a and b, created 11 and 10.5 hours ago, are expected to have ended; c, created 5 hours ago, is not.
        Stamped("old", KlingTaskStatus.Processing, created: Later(-20));
        Stamped("old", KlingTaskStatus.Succeeded, created: Later(-20), updated: Later(-10));
        Stamped("a", KlingTaskStatus.Processing, created: Later(-11));
        Stamped("b", KlingTaskStatus.Processing, created: Later(-10.5));
        Stamped("c", KlingTaskStatus.Processing, created: Later(-5));
        await LearnedAsync();
        var waiting = new[] { Enter(gate.NewTicket()), Enter(gate.NewTicket()) };
        ended.Add("a");

        await gate.TickAsync(Later(3), CancellationToken.None);

        Assert.Equal(["a", "b"], asked);
        Assert.Equal([true, false], waiting.Select(t => t.IsCompleted));
        Assert.Equal(3, gate.Limit); // nothing was uploaded beyond what it learned: the probe's backoff has not run out
    }

    [Fact]
    public async Task A_look_asks_nothing_while_no_submission_waits()
    {
        await LearnedAsync("a", "b");
        ended.Add("a");

        await gate.TickAsync(Later(3), CancellationToken.None);

        Assert.Empty(asked);
    }

    [Fact]
    public async Task Once_the_probe_backoff_ran_out_a_look_that_freed_nothing_lets_one_submission_out_beyond_the_limit()
    {
        await LearnedAsync("a");
        var tickets = new[] { gate.NewTicket(), gate.NewTicket() };
        var waiting = tickets.Select(t => Enter(t)).ToArray();

        await gate.TickAsync(Later(3), CancellationToken.None);
        Assert.All(waiting, t => Assert.False(t.IsCompleted)); // a still runs, and the probe is not due

        await gate.TickAsync(Later(21), CancellationToken.None);
        Assert.Equal([true, false], waiting.Select(t => t.IsCompleted));
        await gate.TickAsync(Later(42), CancellationToken.None);
        Assert.False(waiting[1].IsCompleted); // one probe at a time

        Accept(tickets[0], "p"); // the account took it: it allows two
        Assert.Equal(2, gate.Limit);
        Assert.Equal(["a", "a", "a"], asked);
    }

    [Fact]
    public async Task A_probe_that_fails_otherwise_is_followed_by_the_next_only_after_the_backoff()
    {
        await LearnedAsync("a");
        var tickets = new[] { gate.NewTicket(), gate.NewTicket() };
        var waiting = tickets.Select(t => Enter(t)).ToArray();
        await gate.TickAsync(Later(21), CancellationToken.None);
        Assert.True(waiting[0].IsCompletedSuccessfully);

        gate.Failed(tickets[0]); // e.g. the connection dropped: nothing learned

        await gate.TickAsync(Later(3), CancellationToken.None);
        Assert.False(waiting[1].IsCompleted);
        await gate.TickAsync(Later(42), CancellationToken.None);
        Assert.True(waiting[1].IsCompletedSuccessfully);
        Assert.Equal(1, gate.Limit);
    }

    [Fact]
    public async Task A_cancelled_submission_gives_its_place_to_the_next()
    {
        await LearnedAsync("a", "b");
        using var cancel = new CancellationTokenSource();
        var cancelled = Enter(gate.NewTicket(), cancel.Token);
        var next = Enter(gate.NewTicket());

        cancel.Cancel();
        End("a");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Disposing_the_gate_ends_the_wait_of_every_held_submission()
    {
        await LearnedAsync("a");
        var waiting = Enter(gate.NewTicket());

        gate.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
    }
}
