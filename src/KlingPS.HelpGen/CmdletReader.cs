using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace KlingPS.HelpGen
{
    /// <summary>Reads cmdlets by their attributes' metadata (CustomAttributeData), as no type can be instantiated here.</summary>
    internal static class CmdletReader
    {
        public const string AllSets = "__AllParameterSets";
        private const string Sma = "System.Management.Automation.";

        public static List<CmdletModel> Read(Assembly assembly)
        {
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t != null).ToArray()!; }

            var cmdlets = new List<CmdletModel>();
            foreach (var type in types.Where(t => t.IsPublic && !t.IsAbstract))
            {
                var cmdlet = Attribute(type, "CmdletAttribute");
                if (cmdlet == null) continue;
                var parameters = ReadParameters(type);
                cmdlets.Add(new CmdletModel(type,
                    (string)cmdlet.ConstructorArguments[0].Value!,
                    (string)cmdlet.ConstructorArguments[1].Value!,
                    Named(cmdlet, "SupportsShouldProcess") is true,
                    Named(cmdlet, "HelpUri") as string,
                    ParameterSets(parameters, Named(cmdlet, "DefaultParameterSetName") as string),
                    parameters,
                    OutputTypes(type)));
            }
            return cmdlets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static List<ParameterModel> ReadParameters(Type type)
        {
            var result = new List<ParameterModel>();
            // Most derived first, as PowerShell binds them; a property hidden with 'new' counts once.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (result.Any(p => p.Name == property.Name)) continue;
                var attributes = property.GetCustomAttributesData();
                var sets = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute")
                    .Where(a => Named(a, "DontShow") is not true)
                    .Select(a => new SetEntry(
                        Named(a, "ParameterSetName") as string ?? AllSets,
                        Named(a, "Mandatory") is true,
                        Named(a, "Position") is int position && position != int.MinValue ? position : null,
                        Named(a, "ValueFromPipeline") is true,
                        Named(a, "ValueFromPipelineByPropertyName") is true))
                    .ToList();
                if (sets.Count == 0) continue;
                var alias = attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + "AliasAttribute");
                var defaultValue = attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + "PSDefaultValueAttribute");
                result.Add(new ParameterModel(property,
                    alias == null ? Array.Empty<string>() : Values(alias.ConstructorArguments[0]).Cast<string>().ToArray(),
                    attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
                    defaultValue == null ? null : Named(defaultValue, "Help") as string ?? Convert.ToString(Named(defaultValue, "Value"), CultureInfo.InvariantCulture),
                    sets));
            }
            return result;
        }

        /// <summary>The named sets, the default first; a cmdlet without named sets has the one set of all parameters.</summary>
        private static List<string> ParameterSets(List<ParameterModel> parameters, string? defaultSet)
        {
            var sets = parameters.SelectMany(p => p.Sets).Select(s => s.Set).Where(s => s != AllSets).Distinct().ToList();
            if (defaultSet != null && sets.Remove(defaultSet)) sets.Insert(0, defaultSet);
            return sets.Count == 0 ? new List<string> { AllSets } : sets;
        }

        private static List<OutputModel> OutputTypes(Type type) =>
            type.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
                .SelectMany(a => Values(a.ConstructorArguments[0]))
                .Select(v => v is Type t ? new OutputModel(t.FullName!, t) : new OutputModel((string)v!, null))
                .Where(o => o.Name != "System.Void")
                .Distinct()
                .ToList();

        public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
            member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

        private static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

        /// <summary>A params array argument ([Alias("a", "b")], [OutputType(typeof(T))]) or a single value.</summary>
        private static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
            argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : new[] { argument.Value };
    }
}
