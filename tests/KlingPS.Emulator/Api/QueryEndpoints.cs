using System.Text.Json.Nodes;

namespace KlingPS.Emulator.Api;

/// <summary>GET one task, and GET the task list (official Kling; CometAPI does not document it).</summary>
internal sealed class QueryEndpoints(
    ApiPipeline pipeline, Accounts accounts, TaskStore store, EmulatorOptions options, Func<EmulatedTask, DateTimeOffset, JsonObject> taskJson)
{
    private const int MaxPageNum = 1000, MaxPageSize = 500, DefaultPageSize = 30;

    // BadTaskField fires only on answers that hold the task it spoils, so its counters count those answers alone.
    public Task QueryAsync(HttpContext context, string route, string id)
    {
        EmulatedTask[] found = accounts.Of(context) is { } account && Find(account, route, id) is { } task ? [task] : [];
        return pipeline.RunAsync(context, FaultTarget.Query, route, (_, fault) => Query(context, route, id, fault),
            rule => rule.Kind != FaultKind.BadTaskField || rule.SelectsAny(found));
    }

    public Task ListAsync(HttpContext context, string route)
    {
        var listed = accounts.Of(context) is { } account && PageOf(context) is { } page ? store.List(account, route, page.Skip, page.Take) : [];
        return pipeline.RunAsync(context, FaultTarget.List, route, (_, fault) => List(context, route, fault),
            rule => rule.Kind != FaultKind.BadTaskField || rule.SelectsAny(listed));
    }

    private ApiAnswer Query(HttpContext context, string route, string id, FaultRule? fault)
    {
        if (accounts.Of(context) is not { } account) return Answers.InvalidToken();
        if (Find(account, route, id) is not { } task) return Answers.Kling(404, 1203, "task not found");
        return Succeed(taskJson(task, DateTimeOffset.UtcNow), fault);
    }

    private ApiAnswer List(HttpContext context, string route, FaultRule? fault)
    {
        if (accounts.Of(context) is not { } account) return Answers.InvalidToken();
        if (PageOf(context) is not { } page)
            return Answers.Kling(400, 1201, $"pageNum must be 1..{MaxPageNum} and pageSize 1..{MaxPageSize}");

        var now = DateTimeOffset.UtcNow;
        var tasks = new JsonArray();
        foreach (var task in store.List(account, route, page.Skip, page.Take))
            tasks.Add(taskJson(task, now));
        return Succeed(tasks, fault);
    }

    private EmulatedTask? Find(string account, string route, string id) => store.Find(account, route, id, options.QueryByExternalIdSupported);

    /// <summary>The page asked for, or null when pageNum or pageSize is not an integer in range.</summary>
    private static (int Skip, int Take)? PageOf(HttpContext context) =>
        PageParameter(context, "pageNum", 1, MaxPageNum) is { } pageNum && PageParameter(context, "pageSize", DefaultPageSize, MaxPageSize) is { } pageSize
            ? ((pageNum - 1) * pageSize, pageSize)
            : null;

    private static ApiAnswer Succeed(JsonNode data, FaultRule? fault)
    {
        if (fault?.Kind == FaultKind.BadTaskField) TaskFieldFault.Apply(fault, data);
        return Answers.Ok(new JsonObject
        {
            ["code"] = 0,
            ["message"] = "SUCCEED",
            ["request_id"] = Guid.NewGuid().ToString(),
            ["data"] = data,
        });
    }

    /// <summary>The value, its default when absent, or null when it is not an integer in range.</summary>
    private static int? PageParameter(HttpContext context, string name, int fallback, int max)
    {
        if (!context.Request.Query.TryGetValue(name, out var values)) return fallback;
        return int.TryParse(values.ToString(), System.Globalization.NumberStyles.None, null, out int value) && value >= 1 && value <= max
            ? value : null;
    }
}
