using System.Text.Json;
using KlingPS.Emulator;

namespace KlingPS.Tests.Emulation;

/// <summary>BadTaskField: one task of a query or list answer carries a malformed field, the rest is right.</summary>
public class TaskFieldFaultTests
{
    [Fact]
    public async Task Only_the_chosen_task_of_a_list_answer_is_spoiled()
    {
        await using var w = await Wire.StartAsync();
        foreach (var id in new[] { "ok-1", "bad-2", "ok-3" }) await w.CreateTaskAsync(id);
        w.Emulator.Options.Faults.Add(FaultRule.BadTaskField("created_at", "1e20").ForTask(externalTaskId: "bad-2"));

        var list = (await GetDataAsync(w, $"{Wire.ImageToVideo}?pageNum=1&pageSize=10")).EnumerateArray().ToList();

        Assert.Equal(3, list.Count);
        var byExternalId = list.ToDictionary(t => t.GetProperty("task_info").GetProperty("external_task_id").GetString()!);
        Assert.Equal("1e20", byExternalId["bad-2"].GetProperty("created_at").GetRawText());
        foreach (var id in new[] { "ok-1", "ok-3" })
        {
            var task = w.Emulator.Tasks.Single(t => t.ExternalTaskId == id);
            Assert.Equal(task.CreatedAt.ToUnixTimeMilliseconds(), byExternalId[id].GetProperty("created_at").GetInt64());
        }
        Assert.Equal(JsonValueKind.String, byExternalId["bad-2"].GetProperty("task_status").ValueKind); // only the one field
    }

    [Fact]
    public async Task A_query_for_another_task_is_neither_spoiled_nor_counted()
    {
        await using var w = await Wire.StartAsync();
        string good = await w.CreateTaskAsync();
        string bad = await w.CreateTaskAsync();
        w.Emulator.Options.Faults.Add(FaultRule.BadTaskField("task_status", "42").ForTask(taskId: bad).AtMost(1));

        var goodFirst = await w.QueryAsync(good);
        var badFirst = await w.QueryAsync(bad);
        var badAgain = await w.QueryAsync(bad);

        Assert.Equal(JsonValueKind.String, goodFirst.GetProperty("task_status").ValueKind);
        Assert.Equal(42, badFirst.GetProperty("task_status").GetInt32()); // the good query did not use up AtMost(1)
        Assert.Equal(JsonValueKind.String, badAgain.GetProperty("task_status").ValueKind);
        Assert.Equal([null, "BadTaskField task_status=42", null],
            w.Emulator.Log.Entries.Where(e => e.Method == "GET").Select(e => e.Fault));
    }

    [Theory]
    [InlineData("task_result.videos[0]", "\"not-an-object\"")]
    [InlineData("task_result.videos[0].url", "17")]
    [InlineData("created_at", "\"soon\"")]
    [InlineData("task_info", "null")]
    public async Task The_field_path_reaches_into_the_task_object(string field, string valueJson)
    {
        await using var w = await Wire.StartAsync();
        string taskId = await w.CreateTaskAsync();
        await w.VideoUrlAsync(taskId);
        w.Emulator.Options.Faults.Add(FaultRule.BadTaskField(field, valueJson).ForTarget(FaultTarget.Query));

        var data = await w.QueryAsync(taskId);

        JsonElement at = data;
        foreach (var segment in field.Split('.'))
        {
            int bracket = segment.IndexOf('[');
            at = bracket < 0 ? at.GetProperty(segment) : at.GetProperty(segment[..bracket])[int.Parse(segment[(bracket + 1)..^1])];
        }
        Assert.Equal(valueJson, at.GetRawText());
        Assert.Equal(taskId, data.GetProperty("task_id").GetString());
    }

    [Fact]
    public async Task A_videos_entry_path_on_an_unfinished_task_makes_the_array()
    {
        await using var w = await Wire.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(1));
        string taskId = await w.CreateTaskAsync();
        w.Emulator.Options.Faults.Add(FaultRule.BadTaskField("task_result.videos[3]", "[1]").ForTarget(FaultTarget.Query));

        var data = await w.QueryAsync(taskId);

        Assert.Equal("[[1]]", data.GetProperty("task_result").GetProperty("videos").GetRawText());
    }

    private static async Task<JsonElement> GetDataAsync(Wire w, string path)
    {
        using var response = await w.Http.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }
}
