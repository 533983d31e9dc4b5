using KlingPS.Core.Models;

namespace KlingPS.Infrastructure
{
    /// <summary>The messages only the cmdlets give: they name parameters and commands, which the core never does.</summary>
    internal static class Messages
    {
        public const string NoApiKey =
            "No CometAPI key: run Connect-Kling -ApiKey (Read-Host -AsSecureString), pass -ApiKey to the command, or set the COMETAPI_KEY environment variable.";

        public static string NothingToSave(KlingTask task) =>
            $"Task {task.TaskId} is {task.Status} and has no video to save{(task.Status == KlingTaskStatus.Succeeded ? "" : "; wait for it first with Wait-KlingTask")}.";

        public static string XYMismatch(int x, int y) => $"-X has {x} values and -Y has {y}; each point needs both.";

        public const string PointNeedsXY = "Each trajectory point needs an X and a Y, for example @{X=100; Y=200}.";
    }
}
