using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KlingPS.Core.Wire
{
    internal static class KlingJson
    {
        /// <summary>
        /// The source-generated context with relaxed escaping: the default encoder would write every
        /// '+' of a Base64 image and every non-ASCII prompt character as \uXXXX, inflating bodies.
        /// </summary>
        public static readonly KlingJsonContext Context = new KlingJsonContext(new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        });
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(VideoCreateBody))]
    [JsonSerializable(typeof(Envelope<JsonElement>))]
    [JsonSerializable(typeof(TaskData))]
    internal sealed partial class KlingJsonContext : JsonSerializerContext
    {
    }
}
