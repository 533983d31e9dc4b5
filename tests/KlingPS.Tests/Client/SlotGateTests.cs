using KlingPS.Core.Client;

namespace KlingPS.Tests.Client;

/// <summary>After a 1303 the gate admits submissions one at a time, so a freed slot is not fought over by every waiting image.</summary>
public class SlotGateTests
{
    /// <summary>A gate that has just answered a 1303: the refused submission waits in it, first in line.</summary>
    private static async Task<(SlotGate Gate, Task Refused)> ClosedGate()
    {
        var gate = new SlotGate();
        await gate.WaitOpenAsync(CancellationToken.None); // open: passes at once
        gate.Refused(TimeSpan.FromHours(1));
        return (gate, gate.WaitOpenAsync(CancellationToken.None));
    }

    private static int Completed(IEnumerable<Task> tasks) => tasks.Count(t => t.IsCompleted);

    [Fact]
    public async Task A_finished_task_admits_exactly_one_waiting_submission()
    {
        var (gate, refused) = await ClosedGate();
        var waiting = Enumerable.Range(0, 3).Select(_ => gate.WaitOpenAsync(CancellationToken.None)).ToList();

        gate.Released();
        await Task.Delay(100);

        Assert.True(refused.IsCompleted); // first in line
        Assert.Equal(0, Completed(waiting));
    }

    [Fact]
    public async Task Each_admitted_submission_that_is_done_lets_the_next_one_try()
    {
        var (gate, _) = await ClosedGate();
        var waiting = Enumerable.Range(0, 3).Select(_ => gate.WaitOpenAsync(CancellationToken.None)).ToList();
        gate.Released(); // admits the refused one
        await Task.Delay(50);

        gate.Done();
        await Task.Delay(50);
        Assert.Equal(1, Completed(waiting));
        gate.Done();
        await Task.Delay(50);
        Assert.Equal(2, Completed(waiting));
    }

    [Fact]
    public async Task The_backoff_delay_admits_one_probe()
    {
        var gate = new SlotGate();
        gate.Refused(TimeSpan.FromMilliseconds(100));
        var refused = gate.WaitOpenAsync(CancellationToken.None);
        var other = gate.WaitOpenAsync(CancellationToken.None);

        await Task.Delay(400);

        Assert.True(refused.IsCompleted);
        Assert.False(other.IsCompleted);
    }

    [Fact]
    public async Task Success_with_nobody_waiting_opens_the_gate()
    {
        var (gate, _) = await ClosedGate();
        gate.Released();
        await Task.Delay(50);

        gate.Done();

        Assert.True(gate.WaitOpenAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_cancelled_waiter_does_not_swallow_an_admission()
    {
        var (gate, _) = await ClosedGate();
        gate.Released(); // the refused one
        await Task.Delay(50);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitOpenAsync(cancel.Token);
        var next = gate.WaitOpenAsync(CancellationToken.None);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        gate.Done();
        await Task.Delay(50);

        Assert.True(next.IsCompleted);
    }
}
