namespace KlingPS.Emulator;

/// <summary>The messages Kling's error-code table gives, so injected Kling errors read like real ones.</summary>
internal static class KlingMessages
{
    private static readonly Dictionary<int, string> Messages = new()
    {
        [1000] = "Authentication failed",
        [1001] = "Authorization is empty",
        [1002] = "Authorization is invalid",
        [1003] = "Authorization is not yet valid",
        [1004] = "Authorization has expired",
        [1100] = "Account exception",
        [1101] = "Account in arrears (postpaid scenario)",
        [1102] = "Resource pack depleted or expired (prepaid scenario)",
        [1103] = "Unauthorized access to requested resource, such as API/model",
        [1200] = "Invalid request parameters",
        [1201] = "Invalid parameters, such as incorrect key or illegal value",
        [1202] = "The requested method is invalid",
        [1203] = "The requested resource does not exist",
        [1300] = "Trigger strategy of the platform",
        [1301] = "Trigger the content security policy of the platform",
        [1302] = "The API request is too fast, exceeding the platform's rate limit",
        [1303] = "parallel task over resource pack limit",
        [1304] = "Trigger the IP whitelisting policy of the platform",
        [5000] = "Server internal error",
        [5001] = "Server temporarily unavailable, usually due to maintenance",
        [5002] = "Server internal timeout, usually due to a backlog",
    };

    public static string For(int code) => Messages.GetValueOrDefault(code, "Unknown error");
}
