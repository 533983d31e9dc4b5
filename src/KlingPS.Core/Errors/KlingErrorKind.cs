namespace KlingPS.Core.Errors
{
    /// <summary>What kind of failure a <see cref="KlingApiException"/> is; the cmdlets map it to an ErrorCategory.</summary>
    public enum KlingErrorKind
    {
        /// <summary>The key is missing, wrong or expired (401, codes 1000-1004).</summary>
        Authentication,
        /// <summary>The account cannot pay: arrears, depleted pack (429, codes 1100-1102).</summary>
        Account,
        /// <summary>No access to this API or model (403, 1103), or an IP whitelist (1304).</summary>
        Permission,
        /// <summary>The service refused the parameters (400, 1200-1201; 500 with invalid_request).</summary>
        InvalidRequest,
        /// <summary>Platform or content policy refused the request (1300-1301).</summary>
        Policy,
        /// <summary>The task, method or model does not exist (404, 1202-1203).</summary>
        NotFound,
        /// <summary>Too many requests (429, 1302).</summary>
        RateLimited,
        /// <summary>The account's concurrent-task limit is reached (429, 1303).</summary>
        ConcurrencyLimit,
        /// <summary>The service failed or is unavailable (5xx).</summary>
        ServiceUnavailable,
        /// <summary>The connection failed or dropped.</summary>
        Network,
        /// <summary>No answer in time.</summary>
        Timeout,
        /// <summary>The answer is not the API's JSON: an HTML page, a redirect, or broken JSON.</summary>
        InvalidResponse,
        /// <summary>The task itself ended in "failed".</summary>
        TaskFailed,
        /// <summary>A local check refused the input before anything was sent.</summary>
        Validation,
        /// <summary>The task was still running when the wait's -TimeoutSec ran out (the task itself goes on).</summary>
        WaitTimedOut,
        /// <summary>The file a video was to be saved as exists already, and is not this video.</summary>
        FileExists,
        /// <summary>A task has no video to save: it has not succeeded (yet), or the service gave none.</summary>
        NoVideo,
        /// <summary>The journal file is not a KlingPS journal, or one of a format this version does not read.</summary>
        JournalInvalid,
        /// <summary>Another process (or command) held the journal file for longer than the lock timeout.</summary>
        JournalLocked,
        /// <summary>A video is larger than the download size limit.</summary>
        VideoTooLarge,
        /// <summary>A local file or folder could not be read or written: disk full, permissions, a name the file system refuses.</summary>
        LocalFile,
    }
}
