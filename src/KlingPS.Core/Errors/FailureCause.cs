namespace KlingPS.Core.Errors
{
    /// <summary>
    /// What happened, where the kind alone does not say: an answer of the service that is unusable in a way worth telling
    /// apart, with an error id of its own and the module's advice.
    /// Core states the fact; the module words what to do about it.
    /// </summary>
    internal enum FailureCause
    {
        Unspecified,
        /// <summary>An API answer went past the size cap; reading stopped there.</summary>
        AnswerTooLarge,
        /// <summary>One task's field in an answer is missing or malformed.</summary>
        BadTaskField,
        /// <summary>A create answered success without a task id.</summary>
        MissingTaskId,
        /// <summary>A create answered with a task id already given to another submission of this client.</summary>
        RepeatedTaskId,
    }
}
