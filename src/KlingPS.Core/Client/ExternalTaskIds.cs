using System;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// Where external_task_ids come from for submissions that bring none: the client's, and the journal's when it records one
    /// before sending. Unique, and recognisably KlingPS's.
    /// </summary>
    internal static class ExternalTaskIds
    {
        public static string New() => "klingps-" + Guid.NewGuid().ToString("N");
    }
}
