using System.Text.Json.Nodes;

namespace KlingPS.Emulator.Api;

/// <summary>GET one task, and GET the task list (official Kling; CometAPI does not document it).</summary>
internal sealed class QueryEndpoints(
    ApiPipeline pipeline, Accounts accounts, TaskStore store, EmulatorOptions options, Func<EmulatedTask, DateTimeOffset, JsonObject> taskJson)
{
    private const int MaxPageNum = 1000, MaxPageSize = 500, DefaultPageSize = 30;

    public Task QueryAsync(HttpContext context, string route, string id) =>
        pipeline.RunAsync(context, FaultTarget.Query, route, _ => Query(context, route, id));

    public Task ListAsync(HttpContext context, string route) =>
        pipeline.RunAsync(context, FaultTarget.List, route, _ => List(context, route));

    private ApiAnswer Query(HttpContext context, string route, string id)
    {
        if (accounts.Of(context) is not { } account) return Answers.InvalidToken();
        var task = store.Find(account, route, id, options.QueryByExternalIdSupported);
        if (task is null) return Answers.Kling(404, 1203, "task not found");
        return Succeed(taskJson(task, DateTimeOffset.UtcNow));
    }

    private ApiAnswer List(HttpContext context, string route)
    {
        if (accounts.Of(context) is not { } account) return Answers.InvalidToken();
        if (PageParameter(context, "pageNum", 1, MaxPageNum) is not { } pageNum
            || PageParameter(context, "pageSize", DefaultPageSize, MaxPageSize) is not { } pageSize)
            return Answers.Kling(400, 1201, $"pageNum must be 1..{MaxPageNum} and pageSize 1..{MaxPageSize}");

        var now = DateTimeOffset.UtcNow;
        var page = new JsonArray();
        foreach (var task in store.List(account, route, (pageNum - 1) * pageSize, pageSize))
            page.Add(taskJson(task, now));
        return Succeed(page);
    }

    private static ApiAnswer Succeed(JsonNode data) => Answers.Ok(new JsonObject
    {
        ["code"] = 0,
        ["message"] = "SUCCEED",
        ["request_id"] = Guid.NewGuid().ToString(),
        ["data"] = data,
    });

    /// <summary>The value, its default when absent, or null when it is not an integer in range.</summary>
    private static int? PageParameter(HttpContext context, string name, int fallback, int max)
    {
        if (!context.Request.Query.TryGetValue(name, out var values)) return fallback;
        return int.TryParse(values.ToString(), System.Globalization.NumberStyles.None, null, out int value) && value >= 1 && value <= max
            ? value : null;
    }
}
