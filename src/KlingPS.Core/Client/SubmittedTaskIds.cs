using System;
using System.Collections.Generic;
using KlingPS.Core.Models;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The task id each submission of a client got, with the external id it was submitted under. A create answered with an
    /// id already given to another submission is the service repeating itself: taking it would leave this image without a
    /// task, and two images sharing one. Thread-safe.
    /// </summary>
    internal sealed class SubmittedTaskIds
    {
        private readonly Dictionary<string, string> _externalIdOf = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>
        /// Records <paramref name="task"/> as the task of <paramref name="externalId"/>; false, with the other submission's
        /// external id, when the task id belongs to another one already.
        /// </summary>
        public bool TryClaim(KlingTask task, string externalId, out string otherExternalId)
        {
            var key = task.Route + "/" + task.TaskId;
            lock (_externalIdOf)
            {
                if (_externalIdOf.TryGetValue(key, out otherExternalId!)) return string.Equals(otherExternalId, externalId, StringComparison.Ordinal);
                _externalIdOf[key] = externalId;
                return true;
            }
        }
    }
}
