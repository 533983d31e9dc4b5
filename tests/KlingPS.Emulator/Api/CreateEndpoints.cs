using System.Text.Json;
using System.Text.Json.Nodes;

namespace KlingPS.Emulator.Api;

/// <summary>POST /kling/v1/videos/{route}: bearer check, parameter checks, duplicate and concurrency checks, create.</summary>
internal sealed class CreateEndpoints(ApiPipeline pipeline, Accounts accounts, TaskStore store, CallbackSender callbacks)
{
    public Task HandleAsync(HttpContext context, string route)
    {
        // RepeatedTaskId needs an earlier create to repeat; until the account has one on the route, it waits.
        bool hasEarlier = accounts.Of(context) is { } account && store.HasTask(account, route);
        return pipeline.RunAsync(context, FaultTarget.Create, route, (body, fault) => Create(context, route, body, fault),
            rule => rule.Kind != FaultKind.RepeatedTaskId || hasEarlier);
    }

    /// <param name="fault">MissingTaskId and RepeatedTaskId change the answer of a create that succeeded; the task is made either way.</param>
    private ApiAnswer Create(HttpContext context, string route, string? body, FaultRule? fault)
    {
        if (accounts.Of(context) is not { } account) return Answers.InvalidToken();

        CreateRequest request;
        try
        {
            using var document = JsonDocument.Parse(body ?? "");
            request = CreateRequestValidator.Validate(route, document.RootElement);
        }
        catch (JsonException)
        {
            return Answers.Kling(400, 1201, "request body is not valid JSON");
        }
        catch (BadRequest e)
        {
            return Answers.Kling(400, 1201, e.Message);
        }

        switch (store.TryCreate(account, route, request, out var created))
        {
            case CreateOutcome.DuplicateExternalId:
                return Answers.Kling(400, 1201, "external_task_id already exists");
            case CreateOutcome.ConcurrencyLimit:
                return Answers.Kling(429, 1303, KlingMessages.For(1303));
        }

        var task = created!;
        callbacks.Schedule(task);
        var data = new JsonObject
        {
            ["task_id"] = fault?.Kind == FaultKind.RepeatedTaskId ? store.Previous(task)?.TaskId : task.TaskId,
            ["task_status"] = EmulatedTask.Submitted,
            ["task_info"] = TaskJson.Info(task),
            ["created_at"] = task.CreatedAt.ToUnixTimeMilliseconds(),
            ["updated_at"] = task.CreatedAt.ToUnixTimeMilliseconds(),
        };
        if (fault?.Kind == FaultKind.MissingTaskId) data.Remove("task_id");
        return Answers.Ok(new JsonObject
        {
            ["code"] = 0,
            // The service's samples differ by route; clients must rely on code, not on this text.
            ["message"] = route == Routes.MultiImageToVideo ? "SUCCEED" : "success",
            ["data"] = data,
        });
    }
}
