using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace KlingPS.HelpGen
{
    /// <summary>One parameter's attributes in one parameter set.</summary>
    internal sealed record SetEntry(string Set, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

    /// <param name="Default">What [PSDefaultValue] says: its Help text, else its Value; null when the parameter has none.</param>
    internal sealed record ParameterModel(PropertyInfo Property, string[] Aliases, bool Globbing, string? Default, List<SetEntry> Sets)
    {
        public string Name => Property.Name;
        public Type Type => Property.PropertyType;

        /// <summary>The attributes that apply in a set: the set's own [Parameter], else the one for all sets.</summary>
        public SetEntry? In(string set) =>
            Sets.FirstOrDefault(s => s.Set == set) ?? Sets.FirstOrDefault(s => s.Set == CmdletReader.AllSets);
    }
}
