using System.Management.Automation;
using System.Reflection;
using KlingPS.Commands;

namespace KlingPS.Tests.Compatibility;

/// <summary>
/// No type of a dependency (System.Text.Json and its helpers, the files of dependencies/) appears where
/// PowerShell looks when it imports the module or binds a cmdlet: parameters, declared outputs and their
/// properties, attributes. Then PowerShell never needs a dependency before the module's resolver is there, and
/// no dependency type reaches the caller, whose System.Text.Json may be another. Read from metadata
/// (CustomAttributeData): what the compiled module declares.
/// </summary>
public class DependencyTypeSurfaceTests
{
    private static readonly Assembly Cmdlets = typeof(NewKlingImageVideoCommand).Assembly;

    private static readonly HashSet<string> Dependencies = Directory.GetFiles(Path.Combine(BuiltModule.Folder, "dependencies"), "*.dll")
        .Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static readonly Type[] CmdletTypes = Cmdlets.GetTypes()
        .Where(t => t.IsPublic && !t.IsAbstract && typeof(Cmdlet).IsAssignableFrom(t)).ToArray();

    private static IEnumerable<Type> Parts(Type type)
    {
        yield return type;
        if (type.HasElementType) foreach (var t in Parts(type.GetElementType()!)) yield return t;
        if (type.IsGenericType) foreach (var t in type.GetGenericArguments().SelectMany(Parts)) yield return t;
    }

    private static void AssertNoDependency(Type type, string where)
    {
        foreach (var part in Parts(type))
            Assert.False(Dependencies.Contains(part.Assembly.GetName().Name!), $"{where}: {part.FullName} comes from {part.Assembly.GetName().Name}");
    }

    /// <summary>Every type named by an attribute: its own, and Type arguments (OutputType, ArgumentCompleter...).</summary>
    private static IEnumerable<Type> Named(CustomAttributeData a) =>
        new[] { a.AttributeType }.Concat(a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)).SelectMany(Values).OfType<Type>());

    private static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
        argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.SelectMany(Values) : new[] { argument.Value };

    /// <summary>
    /// KlingPS.dll holds the resolver, so it must run before any dependency can load: on .NET Framework a
    /// reference to one (C# 14 binds array.Contains or SequenceEqual to System.Memory's MemoryExtensions)
    /// would make the handler need itself.
    /// </summary>
    [Fact]
    public void The_cmdlet_layer_references_no_dependency()
    {
        Assert.Contains("System.Text.Json", Dependencies);
        Assert.DoesNotContain(Cmdlets.GetReferencedAssemblies(), r => Dependencies.Contains(r.Name!));
    }

    [Fact]
    public void Parameters_and_attributes_of_every_cmdlet_use_no_dependency_type()
    {
        Assert.Equal(10, CmdletTypes.Length);
        foreach (var cmdlet in CmdletTypes)
        {
            foreach (var type in cmdlet.GetCustomAttributesData().SelectMany(Named)) AssertNoDependency(type, cmdlet.Name);
            foreach (var property in cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attributes = property.GetCustomAttributesData();
                if (!attributes.Any(a => a.AttributeType == typeof(ParameterAttribute))) continue;
                AssertNoDependency(property.PropertyType, $"{cmdlet.Name}.{property.Name}");
                foreach (var type in attributes.SelectMany(Named)) AssertNoDependency(type, $"{cmdlet.Name}.{property.Name} attribute");
            }
        }
    }

    [Fact]
    public void Declared_outputs_and_their_properties_use_no_dependency_type()
    {
        var outputs = CmdletTypes.SelectMany(c => c.GetCustomAttributesData())
            .Where(a => a.AttributeType == typeof(OutputTypeAttribute))
            .SelectMany(a => a.ConstructorArguments.SelectMany(Values))
            .Select(v => v as Type ?? Cmdlets.GetType((string)v!) ?? typeof(KlingClient).Assembly.GetType((string)v!, throwOnError: true)!)
            .Distinct().ToList();
        Assert.Contains(typeof(KlingTask), outputs);
        foreach (var output in outputs)
        {
            AssertNoDependency(output, "output " + output.Name);
            foreach (var property in output.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                AssertNoDependency(property.PropertyType, $"output {output.Name}.{property.Name}");
        }
    }
}
