namespace KlingPS.Tests.Workflow;

/// <summary>
/// The waiting plan on a simulated clock (no service, no sleeping): how many polls a task of a given length costs and how
/// late its end is seen, before and after the run has learned what its tasks take.
/// </summary>
public class PollPlanTests
{
    private static readonly DateTime T0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly WaitOptions Defaults = new();

    private static KlingTask Task(string id, KlingTaskStatus status, DateTime created, DateTime? updated = null) =>
        new(id, KlingRoute.ImageToVideo, status, null, null, created, updated ?? created, [], null, null);

    /// <summary>
    /// Polls a task created at <paramref name="created"/> that is queued for <paramref name="queued"/> and then processes
    /// until <paramref name="ends"/>, as the plan says; gives back the polls and when its end was seen.
    /// </summary>
    private static (int Polls, DateTime SeenAt) Simulate(PollPlan plan, WaitEntry entry, DateTime created, TimeSpan queued, DateTime ends, bool pilot)
    {
        for (var polls = 1; polls <= 100; polls++)
        {
            var at = plan.Next(entry, pilot);
            if (at >= ends) return (polls, at);
            var processing = at >= created + queued;
            entry.Task = Task(entry.Task.TaskId, processing ? KlingTaskStatus.Processing : KlingTaskStatus.Submitted, created, processing ? created + queued : created);
            entry.LastSeenAt = at;
            entry.Polls++;
            if (processing) entry.ProcessingSince ??= created + queued;
            if (plan.ExpectedEnd(entry) is { } end && at >= end) entry.PollsPastExpectedEnd++;
        }
        throw new InvalidOperationException("more than 100 polls");
    }

    private static WaitEntry Fresh(string id, DateTime created) => new(Task(id, KlingTaskStatus.Submitted, created), created + TimeSpan.FromMilliseconds(300));

    /// <summary>A plan that has seen one task succeed after <paramref name="queued"/> + <paramref name="processing"/>.</summary>
    private static PollPlan Taught(TimeSpan queued, TimeSpan processing)
    {
        var plan = new PollPlan(Defaults);
        var entry = Fresh("1", T0);
        entry.ProcessingSince = T0 + queued;
        Assert.True(plan.Learn(entry, Task("1", KlingTaskStatus.Succeeded, T0, T0 + queued + processing)));
        return plan;
    }

    [Theory]
    [InlineData(1.2, 3, 3.0)]
    [InlineData(2, 3, 3.0)]
    [InlineData(20, 12, 25)]
    [InlineData(40, 14, 50)]
    [InlineData(300, 24, 360)] // the gap stops growing at the longest, 60 s
    public void Before_anything_finished_the_oldest_task_is_probed_at_a_quarter_of_its_age_and_seen_at_most_that_late(double seconds, int maximumPolls, double seenWithin)
    {
        var plan = new PollPlan(Defaults);
        var entry = Fresh("1", T0);

        var (polls, seenAt) = Simulate(plan, entry, T0, TimeSpan.FromSeconds(0.2), T0 + TimeSpan.FromSeconds(seconds), pilot: true);

        Assert.InRange(polls, 1, maximumPolls);
        Assert.InRange((seenAt - T0).TotalSeconds, seconds, seenWithin);
    }

    [Fact]
    public void Before_anything_finished_the_other_tasks_are_polled_once_early_then_at_the_longest_gap()
    {
        var plan = new PollPlan(Defaults);
        var entry = Fresh("2", T0);

        var first = plan.Next(entry, isPilot: false);
        entry.LastSeenAt = first;
        entry.Polls = 1;

        Assert.Equal(T0 + TimeSpan.FromSeconds(2), first);
        Assert.Equal(first + Defaults.MaximumPollInterval, plan.Next(entry, isPilot: false));
        Assert.Same(entry, plan.Pilot([entry, Fresh("3", T0 + TimeSpan.FromSeconds(1))]));
    }

    [Theory]
    [InlineData(40, 1)]
    [InlineData(41, 2)] // a little longer than the ones before: one more poll, a tenth of the processing time later
    [InlineData(60, 5)]
    public void After_a_task_succeeded_the_others_are_polled_at_their_expected_end(double seconds, int polls)
    {
        var plan = Taught(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(39));
        var created = T0 + TimeSpan.FromMinutes(5);
        var entry = Fresh("2", created);

        Assert.Equal(created + TimeSpan.FromSeconds(40), plan.Next(entry, isPilot: false));
        Assert.Null(plan.Pilot([entry]));
        var (count, seenAt) = Simulate(plan, entry, created, TimeSpan.FromSeconds(1), created + TimeSpan.FromSeconds(seconds), pilot: false);
        Assert.Equal(polls, count);
        Assert.InRange((seenAt - created).TotalSeconds, seconds, seconds * 1.2 + 1);
    }

    [Fact]
    public void A_task_seen_processing_is_expected_to_end_a_processing_time_after_it_started()
    {
        var plan = Taught(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        var created = T0 + TimeSpan.FromMinutes(5);
        var entry = Fresh("2", created);
        entry.Task = Task("2", KlingTaskStatus.Processing, created, created + TimeSpan.FromSeconds(25)); // queued 25 s this time
        entry.ProcessingSince = created + TimeSpan.FromSeconds(25);
        entry.LastSeenAt = created + TimeSpan.FromSeconds(40);

        Assert.Equal(created + TimeSpan.FromSeconds(55), plan.Next(entry, isPilot: false));
    }

    [Fact]
    public void A_task_still_queued_needs_at_least_the_processing_time_from_when_it_was_seen_queued()
    {
        var plan = Taught(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        var created = T0 + TimeSpan.FromMinutes(5);
        var entry = Fresh("2", created);
        entry.LastSeenAt = created + TimeSpan.FromSeconds(40); // still submitted at its expected end
        entry.Polls = 1;

        Assert.Equal(created + TimeSpan.FromSeconds(70), plan.Next(entry, isPilot: false));
    }

    [Fact]
    public void A_failed_task_teaches_nothing()
    {
        var plan = new PollPlan(Defaults);
        var entry = Fresh("1", T0);

        Assert.False(plan.Learn(entry, Task("1", KlingTaskStatus.Failed, T0, T0 + TimeSpan.FromSeconds(1))));
        Assert.Same(entry, plan.Pilot([entry]));
    }

    [Fact]
    public void A_fixed_interval_is_kept_from_the_start_and_grows_by_half()
    {
        var plan = new PollPlan(new WaitOptions { FixedPollInterval = TimeSpan.FromSeconds(10) });
        var entry = Fresh("2", T0);
        Assert.False(plan.Learn(Fresh("1", T0), Task("1", KlingTaskStatus.Succeeded, T0, T0 + TimeSpan.FromSeconds(3))));

        Assert.Equal(entry.AddedAt + TimeSpan.FromSeconds(10), plan.Next(entry, isPilot: true));
        Assert.Null(plan.Pilot([entry]));
        var gaps = new List<double>();
        for (entry.Polls = 1; entry.Polls <= 4; entry.Polls++)
        {
            entry.LastSeenAt = T0;
            gaps.Add((plan.Next(entry, isPilot: false) - T0).TotalSeconds);
        }
        Assert.Equal([10, 15, 22.5, 33.75], gaps);
    }

    [Fact]
    public void Tasks_created_in_the_same_millisecond_have_one_pilot_whatever_their_order_the_one_the_slot_gate_looks_at()
    {
        var plan = new PollPlan(Defaults);
        var entries = new[] { Fresh("b-task", T0), Fresh("a-task", T0), Fresh("c-task", T0) };

        Assert.Equal("a-task", plan.Pilot(entries)!.Task.TaskId);
        Assert.Equal("a-task", plan.Pilot(entries.Reverse())!.Task.TaskId);
        var running = new RunningTasks();
        foreach (var e in entries) running.Saw(e.Task, mayAdd: true);
        var looked = running.LookTimes(TimeSpan.FromHours(1), Defaults.MinimumPollInterval, TimeSpan.FromSeconds(30)).Single(t => t.At != DateTime.MaxValue);
        Assert.Equal("a-task", looked.Task.TaskId);
    }
}
