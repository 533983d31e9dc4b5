using System.Text.Json.Nodes;
using KlingPS.Emulator;

namespace KlingPS.Tests.Cmdlets;

/// <summary>A create request as the emulator received it: the status it answered and the fields of its JSON body.</summary>
internal sealed record CreateRequest(int Status, JsonObject Body)
{
    /// <summary>A body field as text ("duration" is sent as "5", a number would read the same).</summary>
    public string? Field(string name) => Body[name]?.ToString();

    /// <summary>Whether the request carried exactly this file's bytes as its image.</summary>
    public bool Carries(string imageFile) => Field("image") == Convert.ToBase64String(File.ReadAllBytes(imageFile));

    /// <summary>Every create the emulator received, in the order it answered them.</summary>
    public static IReadOnlyList<CreateRequest> All(KlingEmulator emulator) => emulator.Log.Entries
        .Where(e => e.Method == "POST" && e.Path.StartsWith("/kling/", StringComparison.Ordinal))
        .Select(e => new CreateRequest(e.Status, JsonNode.Parse(e.Body!)!.AsObject()))
        .ToList();

    /// <summary>The one create that carried this file (fails when none or several did).</summary>
    public static CreateRequest Of(KlingEmulator emulator, string imageFile) => Assert.Single(All(emulator), c => c.Carries(imageFile));
}
