namespace KlingPS.Core.Validation
{
    /// <summary>
    /// Task ids, and external task ids used as one, end a URL's path (GET .../image2video/{id}). Escaping keeps '/' from
    /// splitting it, but "." and ".." are path segments of their own: the URL would climb to the route's list, and the
    /// answer would be taken for the task's. An empty id names nothing. Each is refused before any URL is built.
    /// </summary>
    internal static class TaskIds
    {
        public static bool IsUsable(string? id)
        {
            var trimmed = id?.Trim();
            return !string.IsNullOrEmpty(trimmed) && trimmed != "." && trimmed != "..";
        }

        /// <summary>The id without surrounding white space, ready for a URL.</summary>
        /// <exception cref="KlingValidationException">TaskIdInvalid: the id is empty, "." or "..".</exception>
        public static string Checked(string? id, object? item)
        {
            if (!IsUsable(id))
                throw new KlingValidationException(ValidationErrorIds.TaskIdInvalid, ValidationCategory.InvalidArgument, ValidationMessages.RuleTaskId,
                    item, id ?? string.Empty, ValidationMessages.TaskIdInvalid(id));
            return id!.Trim();
        }
    }
}
