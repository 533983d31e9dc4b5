namespace KlingPS.Emulator.Api;

/// <summary>
/// Maps paths to handlers the way the gateway does. Hand-written instead of endpoint routing so
/// that every unmatched method/path gets the gateway's answer (its website, or a redirect for
/// /v1/...), never ASP.NET's own 404/405.
/// </summary>
internal sealed class Router(
    CreateEndpoints create, QueryEndpoints query, VideoFiles files, AdminEndpoints admin, ApiPipeline pipeline, EmulatorOptions options)
{
    public Task DispatchAsync(HttpContext context)
    {
        string method = context.Request.Method;
        bool get = HttpMethods.IsGet(method);
        string[] path = (context.Request.Path.Value ?? "").Trim('/').Split('/');
        return path switch
        {
            ["kling", "v1", "videos", var route] when Routes.IsKnown(route) && HttpMethods.IsPost(method) =>
                create.HandleAsync(context, route),
            ["kling", "v1", "videos", var route] when Routes.IsKnown(route) && get && options.ListEndpointSupported =>
                query.ListAsync(context, route),
            ["kling", "v1", "videos", var route, var id] when Routes.IsKnown(route) && get =>
                query.QueryAsync(context, route, id),
            ["files", var file] when get || HttpMethods.IsHead(method) =>
                files.ServeAsync(context, file),
            ["_emulator", var action] =>
                admin.HandleAsync(context, action),
            // Kling paths without the /kling prefix: the gateway answers with a redirect.
            ["v1", ..] =>
                pipeline.RunAsync(context, null, null, (_, _) => Answers.Redirect("/")),
            // Everything else, including the list call when it is "not supported": the website.
            _ => pipeline.RunAsync(context, null, null, (_, _) => Answers.Website()),
        };
    }
}
