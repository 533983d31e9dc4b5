using System;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// Where the external_task_ids of submissions that bring none come from, recognisably KlingPS's ("klingps-" and 32 hex
    /// digits): a new one per submission, or, in a journal, one derived from the journal and the request.
    /// </summary>
    internal static class ExternalTaskIds
    {
        public static string New() => "klingps-" + Guid.NewGuid().ToString("N");

        /// <summary>
        /// The same for a request in every run and process of one journal, so that the service's uniqueness of external ids
        /// refuses a second task for it even where the journal's lock could not keep a second run from sending it.
        /// </summary>
        public static string Derived(string journalId, string requestKey) => "klingps-" + Core.Hashing.Sha256Hex(journalId + "|" + requestKey).Substring(0, 32);
    }
}
