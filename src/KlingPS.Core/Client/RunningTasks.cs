using System;
using System.Collections.Generic;
using System.Linq;
using KlingPS.Core.Models;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The account's tasks a client knows to be running: those it created or found, and those its queries showed running.
    /// Each holds one of the account's concurrency slots until an answer shows it final. Kept oldest first, with when each
    /// was last heard of, and how long the ones that ended took: so the slot gate can look at a task when it is expected to
    /// have ended and nothing has been heard of it since. Thread-safe.
    /// </summary>
    internal sealed class RunningTasks
    {
        private const int DurationsKept = 15;
        private readonly object _lock = new object();
        private readonly LinkedList<RunningTask> _oldestFirst = new LinkedList<RunningTask>();
        private readonly Dictionary<string, LinkedListNode<RunningTask>> _byKey = new Dictionary<string, LinkedListNode<RunningTask>>(StringComparer.Ordinal);
        private readonly Queue<TimeSpan> _durations = new Queue<TimeSpan>();

        /// <summary>How many there are.</summary>
        public int Count
        {
            get { lock (_lock) return _byKey.Count; }
        }

        /// <summary>How long a task takes, by the service's clock: the median of the last ones seen ending; null before any was.</summary>
        public TimeSpan? TypicalDuration
        {
            get
            {
                lock (_lock) return _durations.Count == 0 ? (TimeSpan?)null : _durations.OrderBy(d => d).ElementAt(_durations.Count / 2);
            }
        }

        /// <summary>
        /// Notes a task as an answer showed it; true when a task known to be running is now final (its slot is free).
        /// <paramref name="mayAdd"/> is false for list answers: they show other processes' tasks too, which this client may never see end.
        /// </summary>
        public bool Saw(KlingTask task, bool mayAdd)
        {
            if (string.IsNullOrEmpty(task.TaskId)) return false;
            var key = task.Route + "/" + task.TaskId;
            var now = DateTime.UtcNow;
            lock (_lock)
            {
                var known = _byKey.TryGetValue(key, out var node);
                if (task.IsFinal)
                {
                    if (!known) return false;
                    _byKey.Remove(key);
                    _oldestFirst.Remove(node!);
                    if (task.CreatedAt.HasValue && task.UpdatedAt > task.CreatedAt)
                    {
                        if (_durations.Count == DurationsKept) _durations.Dequeue();
                        _durations.Enqueue(task.UpdatedAt!.Value - task.CreatedAt.Value);
                    }
                    return true;
                }
                if (known) node!.Value = node.Value.HeardAt(now);
                else if (mayAdd) _byKey[key] = _oldestFirst.AddLast(new RunningTask(task.Route, task.TaskId, task.CreatedAt?.UtcDateTime ?? now, now));
                return false;
            }
        }

        /// <summary>The tasks in the order they were first seen running.</summary>
        public IReadOnlyList<RunningTask> OldestFirst()
        {
            lock (_lock) return _oldestFirst.ToList();
        }

        /// <summary>
        /// When each task is worth asking about (for the slot gate, oldest first): a quarter of a typical task's time after it
        /// is expected to have ended (by how long tasks took), and nothing heard of it for <paramref name="quiet"/>. Until a
        /// task was seen ending, only the oldest is (<see cref="RunningTask.Precedes(RunningTask)"/>), each time after as long again as it
        /// had then run (from <paramref name="shortest"/> to <paramref name="longest"/>) and <paramref name="shortest"/> more.
        /// Both come after a waiter's polls would (at the expected end; at a quarter of the oldest task's age, at least
        /// <paramref name="shortest"/> apart), so that with a waiter in the pipeline the gate hears through its answers and asks
        /// nothing itself; without one, slots are still found free within a bounded time.
        /// </summary>
        public List<(RunningTask Task, DateTime At)> LookTimes(TimeSpan quiet, TimeSpan shortest, TimeSpan longest)
        {
            var typical = TypicalDuration;
            var tasks = OldestFirst();
            var oldest = tasks.Count == 0 ? null : tasks.Aggregate((a, b) => b.Precedes(a) ? b : a);
            return tasks.Select(task =>
            {
                if (typical.HasValue)
                {
                    var expected = task.CreatedAt + typical.Value + TimeSpan.FromTicks(typical.Value.Ticks / 4);
                    var unheard = task.HeardOfAt + quiet;
                    return (task, expected > unheard ? expected : unheard);
                }
                var age = task.HeardOfAt - task.CreatedAt;
                var wait = (age < shortest ? shortest : age > longest ? longest : age) + shortest;
                return (task, task == oldest ? task.HeardOfAt + wait : DateTime.MaxValue);
            }).ToList();
        }

        /// <summary>Notes that the slot gate asked about these tasks, answered or not, so it does not ask again at once.</summary>
        public void Asked(IEnumerable<RunningTask> tasks, DateTime at)
        {
            lock (_lock)
            {
                foreach (var task in tasks)
                    if (_byKey.TryGetValue(task.Route + "/" + task.TaskId, out var node) && node.Value.HeardOfAt < at) node.Value = node.Value.HeardAt(at);
            }
        }
    }

    /// <summary>A task that holds one of the account's slots, as far as the client knows. Immutable: a new answer makes a new one.</summary>
    internal sealed class RunningTask
    {
        public RunningTask(KlingRoute route, string taskId, DateTime createdAt, DateTime heardOfAt)
        {
            Route = route;
            TaskId = taskId;
            CreatedAt = createdAt;
            HeardOfAt = heardOfAt;
        }

        public KlingRoute Route { get; }
        public string TaskId { get; }
        /// <summary>When the service created it (UTC), or when it was first seen if the service did not say.</summary>
        public DateTime CreatedAt { get; }
        /// <summary>When an answer last showed it running, or the slot gate last asked about it (UTC).</summary>
        public DateTime HeardOfAt { get; }

        public RunningTask HeardAt(DateTime at) => new RunningTask(Route, TaskId, CreatedAt, at);

        /// <summary>
        /// Whether this task comes before <paramref name="other"/> by age: the older first, a tie (created in the same
        /// millisecond) by id. The slot gate and a waiter's plan (<c>PollPlan.Pilot</c>) both watch the oldest task before any
        /// has ended; by one rule they watch the same one, and the waiter's answers spare the gate its own queries.
        /// </summary>
        public bool Precedes(RunningTask other) => Precedes(CreatedAt, TaskId, other.CreatedAt, other.TaskId);

        /// <inheritdoc cref="Precedes(RunningTask)"/>
        public static bool Precedes(DateTime created, string taskId, DateTime otherCreated, string otherTaskId) =>
            created != otherCreated ? created < otherCreated : string.CompareOrdinal(taskId, otherTaskId) < 0;
    }
}
