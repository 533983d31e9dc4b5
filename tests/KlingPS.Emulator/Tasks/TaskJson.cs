using System.Text.Json.Nodes;

namespace KlingPS.Emulator;

/// <summary>The task object of query answers, list answers and callbacks.</summary>
internal static class TaskJson
{
    public static JsonObject Build(EmulatedTask task, DateTimeOffset at, string videoUrl)
    {
        string status = task.StatusAt(at);
        var data = new JsonObject
        {
            ["task_id"] = task.TaskId,
            ["task_status"] = status,
        };
        if (status == EmulatedTask.Failed) data["task_status_msg"] = task.FailureMessage;
        else if (task.EmptyStatusMessage) data["task_status_msg"] = "";
        data["task_info"] = Info(task);
        data["created_at"] = task.CreatedAt.ToUnixTimeMilliseconds();
        data["updated_at"] = task.UpdatedAt(at).ToUnixTimeMilliseconds();

        if (status == EmulatedTask.Succeed)
        {
            data["task_result"] = new JsonObject
            {
                ["videos"] = new JsonArray(new JsonObject
                {
                    ["id"] = task.VideoId,
                    ["url"] = videoUrl,
                    ["duration"] = task.DecimalDuration ? task.Duration + ".0" : task.Duration,
                }),
            };
        }
        else if (task.PendingResult == PendingResult.EmptyObject) data["task_result"] = new JsonObject();
        else if (task.PendingResult == PendingResult.Null) data["task_result"] = null;
        return data;
    }

    /// <summary>task_info: {} without an external id, as in the service's samples.</summary>
    public static JsonObject Info(EmulatedTask task) =>
        task.ExternalTaskId is { } id ? new JsonObject { ["external_task_id"] = id } : new JsonObject();
}
