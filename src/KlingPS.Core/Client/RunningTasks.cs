using System;
using System.Collections.Generic;
using KlingPS.Core.Models;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The account's tasks a client knows to be running: those it created or found, and those its queries showed running.
    /// Each holds one of the account's concurrency slots until an answer shows it final. Thread-safe.
    /// </summary>
    internal sealed class RunningTasks
    {
        private readonly HashSet<string> _running = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// Notes a task as an answer showed it; true when a task known to be running is now final (its slot is free).
        /// <paramref name="mayAdd"/> is false for list answers: they show other processes' tasks too, which this client may never see end.
        /// </summary>
        public bool Saw(KlingTask task, bool mayAdd)
        {
            if (string.IsNullOrEmpty(task.TaskId)) return false;
            var key = task.Route + "/" + task.TaskId;
            lock (_running)
            {
                if (task.IsFinal) return _running.Remove(key);
                if (mayAdd) _running.Add(key);
                return false;
            }
        }
    }
}
