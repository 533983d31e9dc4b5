namespace KlingPS.Core.Waiting
{
    /// <summary>Counts for one progress bar: how many tasks are done, running, failed.</summary>
    internal readonly struct WaitProgress
    {
        public WaitProgress(int total, int succeeded, int failed, int running)
        {
            Total = total;
            Succeeded = succeeded;
            Failed = failed;
            Running = running;
        }

        public int Total { get; }
        public int Succeeded { get; }
        public int Failed { get; }
        public int Running { get; }
        public int Done => Succeeded + Failed;
    }
}
