namespace KlingPS.Emulator;

/// <summary>
/// One accepted task. Everything about it is decided when it is created (timeline, outcome, answer
/// shapes); its status is then a pure function of time, so queries, lists, callbacks and the
/// concurrency count always agree.
/// </summary>
public sealed class EmulatedTask
{
    public const string Submitted = "submitted", Processing = "processing", Succeed = "succeed", Failed = "failed";

    internal EmulatedTask() { }

    /// <summary>19 digits, like Kling's.</summary>
    public string TaskId { get; internal init; } = "";
    public string Account { get; internal init; } = "";
    /// <summary>"image2video" or "multi-image2video": the task is only found on this route.</summary>
    public string Route { get; internal init; } = "";
    public string? ExternalTaskId { get; internal init; }
    public string? CallbackUrl { get; internal init; }
    /// <summary>Requested duration, "5" or "10".</summary>
    public string Duration { get; internal init; } = "5";

    public DateTimeOffset CreatedAt { get; internal init; }
    /// <summary>When the task leaves "submitted"; equal to FinishedAt when it fails without processing.</summary>
    public DateTimeOffset ProcessingAt { get; internal init; }
    public DateTimeOffset FinishedAt { get; internal init; }

    /// <summary>task_status_msg of a failed task; null when the task succeeds.</summary>
    public string? FailureMessage { get; internal init; }
    /// <summary>Id of the result video (served once the task has succeeded).</summary>
    public string VideoId { get; internal init; } = "";
    /// <summary>Padding of the result video, fixed at creation so every download of it is identical.</summary>
    public long VideoPaddingBytes { get; internal init; }

    /// <summary>How task_result looks before success (and on failure): {}, null or absent, as seen in real answers.</summary>
    internal PendingResult PendingResult { get; init; }
    /// <summary>Whether a task that has not failed carries "task_status_msg": "" (otherwise the field is absent).</summary>
    internal bool EmptyStatusMessage { get; init; }
    /// <summary>Whether the result duration reads "5.0" instead of "5" (one gateway does this).</summary>
    internal bool DecimalDuration { get; init; }

    public string Status => StatusAt(DateTimeOffset.UtcNow);

    public string StatusAt(DateTimeOffset time) =>
        time < ProcessingAt ? Submitted
        : time < FinishedAt ? Processing
        : FailureMessage is null ? Succeed : Failed;

    public bool IsFinalAt(DateTimeOffset time) => time >= FinishedAt;

    /// <summary>updated_at: the time of the last status change.</summary>
    internal DateTimeOffset UpdatedAt(DateTimeOffset time) =>
        time < ProcessingAt ? CreatedAt : time < FinishedAt ? ProcessingAt : FinishedAt;
}

internal enum PendingResult { EmptyObject, Null, Absent }
