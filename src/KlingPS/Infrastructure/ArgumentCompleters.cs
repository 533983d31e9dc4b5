using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KlingPS.Infrastructure
{
    /// <summary>Tab completion for the values the service knows. Completion only suggests: other values still reach the service.</summary>
    public abstract class ListCompleter : IArgumentCompleter
    {
        private readonly string[] _values;

        protected ListCompleter(params string[] values) { _values = values; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            return Matches(wordToComplete).Select(v => new CompletionResult(v.IndexOf(':') >= 0 ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, v));
        }

        /// <summary>The values that start with what was typed so far (quotes ignored).</summary>
        internal IEnumerable<string> Matches(string? wordToComplete)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return _values.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Models of CometAPI's image-to-video page.</summary>
    public sealed class ImageVideoModelCompleter : ListCompleter
    {
        public ImageVideoModelCompleter() : base("kling-v3", "kling-v2-6", "kling-v2-5-turbo", "kling-v2-1-master", "kling-v2-1", "kling-v2-master",
            "kling-v1-6", "kling-v1-5", "kling-v1") { }
    }

    /// <summary>The one model of CometAPI's multi-image-to-video page.</summary>
    public sealed class MultiImageVideoModelCompleter : ListCompleter
    {
        public MultiImageVideoModelCompleter() : base("kling-v1-6") { }
    }

    public sealed class ModeCompleter : ListCompleter
    {
        public ModeCompleter() : base("std", "pro") { }
    }

    public sealed class DurationCompleter : ListCompleter
    {
        public DurationCompleter() : base("5", "10") { }
    }

    public sealed class AspectRatioCompleter : ListCompleter
    {
        public AspectRatioCompleter() : base("16:9", "9:16", "1:1") { }
    }
}
