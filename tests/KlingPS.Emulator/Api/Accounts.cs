namespace KlingPS.Emulator.Api;

/// <summary>The gateway's bearer check: which account a request belongs to, or null (answer 401).</summary>
internal sealed class Accounts(EmulatorOptions options)
{
    private const string SharedAccount = "default";

    public string? Of(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        string key = header[scheme.Length..].Trim();
        if (!options.ApiKeys.Contains(key)) return null;
        return options.AccountOf?.Invoke(key) ?? SharedAccount;
    }
}
