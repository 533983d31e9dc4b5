using System.Text.Json;
using System.Text.Json.Serialization;

namespace KlingPS.Emulator.Api;

/// <summary>
/// /_emulator/...: lets out-of-process tests (Pester) read the logs and stats and set faults.
/// Needs no key, is never logged and never faulted.
/// </summary>
internal sealed class AdminEndpoints(EmulatorOptions options, RequestLog log, CallbackLog callbacks, TaskStore store)
{
    // camelCase names, enums as names, and unknown properties refused so a typo in a rule is a 400, not a silently ignored field.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = Answers.JsonText.Encoder,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public async Task HandleAsync(HttpContext context, string action)
    {
        string method = context.Request.Method;
        switch (action)
        {
            case "log" when HttpMethods.IsGet(method):
                await context.Response.WriteAsJsonAsync(log.Entries, Json);
                break;
            case "log" when HttpMethods.IsDelete(method):
                log.Clear();
                context.Response.StatusCode = 204;
                break;
            case "callbacks" when HttpMethods.IsGet(method):
                await context.Response.WriteAsJsonAsync(callbacks.Entries, Json);
                break;
            case "callbacks" when HttpMethods.IsDelete(method):
                callbacks.Clear();
                context.Response.StatusCode = 204;
                break;
            case "stats" when HttpMethods.IsGet(method):
                await context.Response.WriteAsJsonAsync(new
                {
                    tasksCreated = store.Count,
                    requests = log.RequestsByKind,
                    faultsInjected = log.FaultsInjected,
                }, Json);
                break;
            case "faults" when HttpMethods.IsPost(method):
                await ReplaceFaultsAsync(context);
                break;
            case "faults" when HttpMethods.IsDelete(method):
                options.Faults.Clear();
                context.Response.StatusCode = 204;
                break;
            default:
                context.Response.StatusCode = 404;
                await context.Response.WriteAsJsonAsync(new { error = $"no admin action {method} /_emulator/{action}" }, Json);
                break;
        }
    }

    private async Task ReplaceFaultsAsync(HttpContext context)
    {
        try
        {
            // Read regardless of Content-Type: a plain `curl -d` must work too.
            var rules = await JsonSerializer.DeserializeAsync<List<FaultRule>>(context.Request.Body, Json) ?? [];
            options.Faults.Replace(rules);
            await context.Response.WriteAsJsonAsync(new { count = rules.Count }, Json);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = e.Message }, Json);
        }
    }
}
