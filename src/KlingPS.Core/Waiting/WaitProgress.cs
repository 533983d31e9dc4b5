namespace KlingPS.Core.Waiting
{
    /// <summary>Counts for the wait's progress bar: the tasks by where they are.</summary>
    internal readonly struct WaitProgress
    {
        public WaitProgress(int submitted, int processing, int succeeded, int failed, int timedOut)
        {
            Submitted = submitted;
            Processing = processing;
            Succeeded = succeeded;
            Failed = failed;
            TimedOut = timedOut;
        }

        /// <summary>Queued at the service, or in a status this module does not know.</summary>
        public int Submitted { get; }
        public int Processing { get; }
        public int Succeeded { get; }
        /// <summary>Failed, or whose queries failed for good.</summary>
        public int Failed { get; }
        /// <summary>Still running when the wait timed out.</summary>
        public int TimedOut { get; }
        public int Total => Submitted + Processing + Done;
        public int Done => Succeeded + Failed + TimedOut;
        public int Running => Submitted + Processing;
    }
}
