using System;
using KlingPS.Core.Models;

namespace KlingPS.Core.Waiting
{
    /// <summary>One task a <see cref="TaskWaiter"/> waits for: what was last seen of it, and when to look again. Used under the waiter's lock.</summary>
    internal sealed class WaitEntry
    {
        public WaitEntry(KlingTask task, DateTime addedAt)
        {
            Task = task;
            AddedAt = addedAt;
        }

        public KlingTask Task { get; set; }
        /// <summary>When the waiter got the task (local clock).</summary>
        public DateTime AddedAt { get; }
        /// <summary>When an answer last showed the task (local clock); null before the first.</summary>
        public DateTime? LastSeenAt { get; set; }
        public DateTime NextPollAt { get; set; }
        /// <summary>Answers that showed the task still running.</summary>
        public int Polls { get; set; }
        /// <summary>Of those, the answers that came after its expected end.</summary>
        public int PollsPastExpectedEnd { get; set; }
        /// <summary>When the service says it started processing (updated_at of the first answer that showed it processing).</summary>
        public DateTime? ProcessingSince { get; set; }
        /// <summary>Final, timed out, or failed to be queried: no more polls.</summary>
        public bool Done { get; set; }
        /// <summary>Still running when the wait timed out.</summary>
        public bool TimedOut { get; set; }

        /// <summary>
        /// When the task was created: the service's created_at (its clock is taken to agree with ours within seconds), never
        /// later than the task reached the waiter; the arrival when the service gave none.
        /// </summary>
        public DateTime CreatedAt
        {
            get
            {
                var created = Task.CreatedAt?.UtcDateTime;
                return created == null || created.Value > AddedAt ? AddedAt : created.Value;
            }
        }

        /// <summary>When its status was last known: the last answer, or its arrival.</summary>
        public DateTime KnownAt => LastSeenAt ?? AddedAt;
    }
}
