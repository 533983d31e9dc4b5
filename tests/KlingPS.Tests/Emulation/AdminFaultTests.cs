using System.Text;
using System.Text.Json;
using KlingPS.Emulator;

namespace KlingPS.Tests.Emulation;

/// <summary>The new fault kinds set through POST /_emulator/faults, as Pester sets them.</summary>
public class AdminFaultTests
{
    [Fact]
    public async Task Every_new_kind_and_setting_is_read_from_json()
    {
        await using var w = await Wire.StartAsync();
        var (status, answer) = await PostFaultsAsync(w, """
            [
              {"target": "Download", "kind": "WrongContentRange", "rangeStart": 10, "times": 1},
              {"target": "Download", "kind": "GzipVideo", "sizeBytes": 1048576},
              {"target": "Query", "route": "multi-image2video", "kind": "EndlessBody"},
              {"target": "List", "kind": "OversizedAnswer", "sizeBytes": 2097152, "gzip": true},
              {"kind": "BadTaskField", "externalTaskId": "odd-1", "field": "task_info.external_task_id", "value": {"not": "a string"}},
              {"kind": "MissingTaskId", "firstN": 1},
              {"kind": "RepeatedTaskId", "route": "multi-image2video"}
            ]
            """);

        Assert.Equal(200, status);
        Assert.Equal(7, answer.GetProperty("count").GetInt32());
        var rules = w.Emulator.Options.Faults.ToList();
        Assert.Equal(
            [FaultKind.WrongContentRange, FaultKind.GzipVideo, FaultKind.EndlessBody, FaultKind.OversizedAnswer,
             FaultKind.BadTaskField, FaultKind.MissingTaskId, FaultKind.RepeatedTaskId],
            rules.Select(r => r.Kind));
        Assert.Equal((10L, 1), (rules[0].RangeStart, rules[0].Times!.Value));
        Assert.Equal(1048576L, rules[1].SizeBytes);
        Assert.Equal((2097152L, true), (rules[3].SizeBytes!.Value, rules[3].Gzip));
        Assert.Equal(("odd-1", "task_info.external_task_id"), (rules[4].ExternalTaskId, rules[4].Field));

        // The rules act as read: the first create loses its task_id, and the BadTaskField value is the JSON object given.
        var (_, created) = await w.CreateAsync("odd-1");
        Assert.False(created.GetProperty("data").TryGetProperty("task_id", out _));
        var data = await w.QueryAsync(w.Emulator.Tasks.Single().TaskId);
        Assert.Equal("""{"not":"a string"}""", data.GetProperty("task_info").GetProperty("external_task_id").GetRawText());
    }

    [Fact]
    public async Task A_BadTaskField_without_value_writes_1e20_into_created_at()
    {
        await using var w = await Wire.StartAsync();
        string taskId = await w.CreateTaskAsync();
        await PostFaultsAsync(w, """[{"kind": "BadTaskField"}]""");

        Assert.Equal("1e20", (await w.QueryAsync(taskId)).GetProperty("created_at").GetRawText());
    }

    [Theory]
    [InlineData("""[{"target": "Download", "kind": "BadTaskField"}]""", "does not apply")]
    [InlineData("""[{"target": "Create", "kind": "GzipVideo"}]""", "does not apply")]
    [InlineData("""[{"target": "Query", "kind": "MissingTaskId"}]""", "does not apply")]
    [InlineData("""[{"target": "Download", "kind": "OversizedAnswer"}]""", "does not apply")]
    [InlineData("""[{"kind": "BadTaskField", "field": "task_result..videos"}]""", "field")]
    [InlineData("""[{"kind": "BadTaskField", "field": "videos[x]"}]""", "field")]
    [InlineData("""[{"kind": "OversizedAnswer", "sizeBytes": 0}]""", "sizeBytes")]
    [InlineData("""[{"kind": "WrongContentRange", "rangeStart": -1}]""", "rangeStart")]
    [InlineData("""[{"kind": "GzipVideo", "sizeByte": 5}]""", "sizeByte")]
    public async Task A_rule_that_cannot_work_is_a_400_and_leaves_the_rules_in_place(string json, string said)
    {
        await using var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.Html()));

        var (status, answer) = await PostFaultsAsync(w, json);

        Assert.Equal(400, status);
        Assert.Contains(said, answer.GetProperty("error").GetString());
        Assert.Equal(FaultKind.Html, Assert.Single(w.Emulator.Options.Faults).Kind);
    }

    private static async Task<(int Status, JsonElement Answer)> PostFaultsAsync(Wire w, string json)
    {
        using var response = await w.Http.PostAsync("_emulator/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
