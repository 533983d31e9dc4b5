using System;
using System.Collections.Generic;

namespace KlingPS.HelpGen
{
    /// <summary>An [OutputType]: a type, or only a name when the attribute gives a string.</summary>
    internal sealed record OutputModel(string Name, Type? Type);

    internal sealed record CmdletModel(Type Type, string Verb, string Noun, bool SupportsShouldProcess, string? HelpUri,
        List<string> ParameterSets, List<ParameterModel> Parameters, List<OutputModel> OutputTypes)
    {
        public string Name => Verb + "-" + Noun;
    }
}
