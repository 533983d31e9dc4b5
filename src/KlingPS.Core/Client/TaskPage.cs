using System.Collections.Generic;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Core.Client
{
    /// <summary>One page of a route's tasks: those read, and an error for each entry that could not be (one bad task harms no other).</summary>
    internal sealed class TaskPage
    {
        public TaskPage(IReadOnlyList<KlingTask> tasks, IReadOnlyList<KlingApiException> failures)
        {
            Tasks = tasks;
            Failures = failures;
        }

        public IReadOnlyList<KlingTask> Tasks { get; }
        public IReadOnlyList<KlingApiException> Failures { get; }
    }
}
