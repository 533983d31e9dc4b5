using System;
using System.Collections.Generic;
using System.Linq;
using KlingPS.Core.Models;
using KlingPS.Core.Waiting;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// What a command would leave running at the service, paid for, if it ended now: submissions sent whose answer it has not
    /// seen (the service may have made their tasks) and tasks it knows to be running. Kept up to date from background threads.
    /// When the command ends without finishing (Ctrl+C, or a terminating error), its warnings name that work and say how to
    /// pick it up: the service does not cancel a task because its client went away.
    /// </summary>
    internal sealed class PaidWork
    {
        /// <summary>How many tasks or sources a warning names; the rest are counted.</summary>
        private const int Named = 10;

        private readonly object _gate = new object();
        private readonly List<Unanswered> _unanswered = new List<Unanswered>();
        private readonly Dictionary<string, KlingTask> _running = new Dictionary<string, KlingTask>();
        private bool _finished;

        /// <summary>A request handed to the submitter; <paramref name="item"/> is what its outcome will name.</summary>
        public void Sending(object? item, KlingVideoRequest request)
        {
            lock (_gate) _unanswered.Add(new Unanswered(item, request));
        }

        /// <summary>A request leaves with <paramref name="externalTaskId"/>: the id its task, if the service makes one, can be found by.</summary>
        public void Sent(object? item, string externalTaskId)
        {
            lock (_gate)
            {
                var at = _unanswered.FindIndex(u => Equals(u.Item, item) && u.ExternalTaskId == null);
                if (at >= 0) _unanswered[at].ExternalTaskId = externalTaskId;
            }
        }

        /// <summary>A submission's outcome: its task, when the service made one, runs from now on.</summary>
        public void Answered(object? item, KlingTask? task)
        {
            lock (_gate)
            {
                var at = _unanswered.FindIndex(u => Equals(u.Item, item));
                if (at >= 0) _unanswered.RemoveAt(at);
                if (task != null && !task.IsFinal) _running[task.TaskId] = task;
            }
        }

        /// <summary>A task this command knows to run (waits for, or has not yet handed on).</summary>
        public void Running(KlingTask task)
        {
            if (task.IsFinal) return;
            lock (_gate) _running[task.TaskId] = task;
        }

        /// <summary>A task that is no longer this command's to report: ended, reported with its own error, or handed on down the pipeline.</summary>
        public void Done(KlingTask task)
        {
            lock (_gate) _running.Remove(task.TaskId);
        }

        /// <summary>Takes the waiter's ends (finished, timed out, failed to query: each reported on its own) off the list.</summary>
        public void Watch(TaskWaiter waiter)
        {
            waiter.Finished += Done;
            waiter.TimedOut += Done;
            waiter.QueryFailed += (task, _) => Done(task);
        }

        /// <summary>The command ended as it should: everything it started was reported.</summary>
        public void Finished()
        {
            lock (_gate) _finished = true;
        }

        /// <summary>The warnings for work left behind by a command that did not finish; none when it finished or left nothing.</summary>
        public IReadOnlyList<string> Warnings(string? journalPath)
        {
            lock (_gate)
            {
                var warnings = new List<string>();
                if (_finished) return warnings;
                var resume = journalPath == null ? null : $" Or run the same command again with -JournalPath {journalPath}: it finds them instead of paying twice.";
                if (_running.Count > 0)
                {
                    var tasks = _running.Values.OrderBy(t => t.CreatedAt).ToList();
                    var pickUp = string.Join("; ", tasks.GroupBy(t => t.Route).Select(route =>
                        $"Get-KlingTask -TaskId {string.Join(", ", route.Select(t => t.TaskId))}{(route.Key == KlingRoute.ImageToVideo ? "" : " -Route " + route.Key)} | Wait-KlingTask | Save-KlingVideo"));
                    warnings.Add($"Stopped with {tasks.Count} paid task(s) still running at the service, which does not cancel them: " +
                        $"{List(tasks.Select(t => t.Source == null ? t.TaskId : $"{t.TaskId} ({System.IO.Path.GetFileName(t.Source)})"))}. " +
                        $"Pick them up with {pickUp}.{resume}");
                }
                if (_unanswered.Count > 0)
                {
                    var ids = _unanswered.Select(u => u.ExternalTaskId).Where(id => id != null).ToList();
                    var find = ids.Count > 0
                        ? $" Look for them with Get-KlingTask -ExternalTaskId {string.Join(", ", ids)}{(ids.Count < _unanswered.Count ? " (the others had not left yet)" : "")}."
                        : " None of them had left yet.";
                    warnings.Add($"Stopped with {_unanswered.Count} submission(s) sent but not answered, which the service may have made paid tasks of: " +
                        $"{List(_unanswered.Select(u => u.Request.Name))}.{find}{resume}");
                }
                return warnings;
            }
        }

        private static string List(IEnumerable<string> names)
        {
            var all = names.ToList();
            return string.Join(", ", all.Take(Named)) + (all.Count > Named ? $" and {all.Count - Named} more" : "");
        }

        private sealed class Unanswered
        {
            public Unanswered(object? item, KlingVideoRequest request) { Item = item; Request = request; }
            public object? Item { get; }
            public KlingVideoRequest Request { get; }
            /// <summary>Null until the request leaves (it may still wait for the throttle or the account's slots).</summary>
            public string? ExternalTaskId { get; set; }
        }
    }
}
