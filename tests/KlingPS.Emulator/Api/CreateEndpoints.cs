using System.Text.Json;
using System.Text.Json.Nodes;

namespace KlingPS.Emulator.Api;

/// <summary>POST /kling/v1/videos/{route}: bearer check, parameter checks, duplicate and concurrency checks, create.</summary>
internal sealed class CreateEndpoints(ApiPipeline pipeline, Accounts accounts, TaskStore store, CallbackSender callbacks)
{
    public Task HandleAsync(HttpContext context, string route) =>
        pipeline.RunAsync(context, FaultTarget.Create, route, body => Create(context, route, body));

    private ApiAnswer Create(HttpContext context, string route, string? body)
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

        switch (store.TryCreate(account, route, request, out var task))
        {
            case CreateOutcome.DuplicateExternalId:
                return Answers.Kling(400, 1201, "external_task_id already exists");
            case CreateOutcome.ConcurrencyLimit:
                return Answers.Kling(429, 1303, KlingMessages.For(1303));
        }

        callbacks.Schedule(task!);
        return Answers.Ok(new JsonObject
        {
            ["code"] = 0,
            // The service's samples differ by route; clients must rely on code, not on this text.
            ["message"] = route == Routes.MultiImageToVideo ? "SUCCEED" : "success",
            ["data"] = new JsonObject
            {
                ["task_id"] = task!.TaskId,
                ["task_status"] = EmulatedTask.Submitted,
                ["task_info"] = TaskJson.Info(task),
                ["created_at"] = task.CreatedAt.ToUnixTimeMilliseconds(),
                ["updated_at"] = task.CreatedAt.ToUnixTimeMilliseconds(),
            },
        });
    }
}
