using System;
using System.Collections.Generic;
using System.Linq;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Waiting
{
    /// <summary>
    /// When to poll each task. A wait's tasks are mostly one batch made alike, so what its finished tasks took says when the
    /// others end. A task is polled at its expected end: its created_at plus the median time the run's succeeded tasks took,
    /// or, once an answer showed it processing, the time it started (updated_at) plus their median processing time; a task
    /// still queued needs at least that processing time from when it was seen queued. Past its expected end, at gaps growing
    /// from a tenth of that time. Before any task has succeeded, only the oldest running task is probed often, at gaps of a
    /// quarter of its age (a task of 1 s is seen within about 2 s, one of 40 s with 14 polls); the others are polled once
    /// early (a task that fails at once is seen at once), then only at the longest gap, until the first to succeed teaches
    /// the plan for all. With a fixed interval (-PollIntervalSec) nothing is learned. Used under the waiter's lock.
    /// </summary>
    internal sealed class PollPlan
    {
        /// <summary>
        /// The probing task's gap, as a part of its age: it is seen ended at most this much of its time late, and so is the
        /// whole first wave of a batch, which ends with it. At a half the first wave was seen up to 8 s late of 20.
        /// </summary>
        private const double PilotGap = 0.25;

        /// <summary>How many durations are kept: the latest ones, as the service's load changes over a long run.</summary>
        private const int Remembered = 50;

        private readonly WaitOptions _options;
        private readonly List<TimeSpan> _totals = new List<TimeSpan>();
        private readonly List<TimeSpan> _processing = new List<TimeSpan>();
        private TimeSpan? _total, _processingTime; // their medians

        public PollPlan(WaitOptions options)
        {
            _options = options;
        }

        private TimeSpan Shortest => _options.MinimumPollInterval;
        private TimeSpan Longest => _options.MaximumPollInterval > Shortest ? _options.MaximumPollInterval : Shortest;

        /// <summary>
        /// Learns from a task seen succeeded, by the service's clock (a late poll would count as duration otherwise); a failed
        /// task often ends early and would teach too short a time. True when it taught something.
        /// </summary>
        public bool Learn(WaitEntry entry, KlingTask final)
        {
            if (_options.FixedPollInterval.HasValue || final.Status != KlingTaskStatus.Succeeded || !final.UpdatedAt.HasValue) return false;
            var end = final.UpdatedAt.Value.UtcDateTime;
            if (!Remember(_totals, end - entry.CreatedAt)) return false;
            _total = Median(_totals);
            if (entry.ProcessingSince.HasValue && Remember(_processing, end - entry.ProcessingSince.Value)) _processingTime = Median(_processing);
            return true;
        }

        /// <summary>When the task should end (local clock), or null while nothing has taught it.</summary>
        public DateTime? ExpectedEnd(WaitEntry entry)
        {
            var total = _total;
            var processing = _processingTime;
            var status = entry.Task.Status;
            if (status == KlingTaskStatus.Processing && entry.ProcessingSince.HasValue && processing.HasValue) return entry.ProcessingSince.Value + processing.Value;
            if (!total.HasValue) return null;
            var end = entry.CreatedAt + total.Value;
            if (status == KlingTaskStatus.Submitted && entry.LastSeenAt.HasValue && processing.HasValue && entry.LastSeenAt.Value + processing.Value > end)
                end = entry.LastSeenAt.Value + processing.Value;
            return end;
        }

        /// <summary>
        /// The task that probes for the others while nothing is learned: the oldest running one, by the slot gate's own rule
        /// (<see cref="RunningTask.Precedes(DateTime, string, DateTime, string)"/>), so that its polls also answer the gate; null once something is learned.
        /// </summary>
        public WaitEntry? Pilot(IEnumerable<WaitEntry> entries)
        {
            // Every task has an expected end once one succeeded: processing times are learned only with total ones.
            if (_options.FixedPollInterval.HasValue || _total.HasValue) return null;
            WaitEntry? oldest = null;
            foreach (var e in entries)
                if (!e.Done && (oldest == null || RunningTask.Precedes(e.CreatedAt, e.Task.TaskId, oldest.CreatedAt, oldest.Task.TaskId))) oldest = e;
            return oldest;
        }

        /// <summary>When to poll the task next, from what was last seen of it.</summary>
        public DateTime Next(WaitEntry entry, bool isPilot)
        {
            var from = entry.KnownAt;
            if (_options.FixedPollInterval is TimeSpan every)
            {
                if (entry.Polls == 0) return entry.AddedAt + every;
                return from + Clamp(Scale(every, Math.Pow(1.5, entry.Polls - 1)), every, every > Longest ? every : Longest);
            }
            var end = ExpectedEnd(entry);
            if (end.HasValue)
            {
                if (end.Value >= from + Shortest) return end.Value;
                var basis = _processingTime ?? _total!.Value;
                return from + Clamp(Scale(basis, 0.1 * Math.Pow(1.5, Math.Max(0, entry.PollsPastExpectedEnd - 1))), Shortest, Longest);
            }
            if (isPilot) return from + Clamp(Scale(from - entry.CreatedAt, PilotGap), Shortest, Longest);
            if (entry.Polls > 0) return from + Longest;
            var early = entry.CreatedAt + Shortest + Shortest;
            return early > from + Shortest ? early : from + Shortest;
        }

        private static bool Remember(List<TimeSpan> durations, TimeSpan took)
        {
            if (took <= TimeSpan.Zero) return false;
            durations.Add(took);
            if (durations.Count > Remembered) durations.RemoveAt(0);
            return true;
        }

        private static TimeSpan? Median(List<TimeSpan> durations) =>
            durations.Count == 0 ? (TimeSpan?)null : durations.OrderBy(d => d).ElementAt(durations.Count / 2);

        private static TimeSpan Scale(TimeSpan t, double factor) => TimeSpan.FromTicks((long)Math.Min(t.Ticks * factor, TimeSpan.MaxValue.Ticks / 2));

        private static TimeSpan Clamp(TimeSpan t, TimeSpan low, TimeSpan high) => t < low ? low : t > high ? high : t;
    }
}
