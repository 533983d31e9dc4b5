using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KlingPS.HelpGen
{
    /// <summary>The compiler's XML documentation file, by member id (T:Namespace.Type, P:Namespace.Type.Property).</summary>
    internal sealed class DocComments
    {
        private readonly Dictionary<string, XElement> _members;

        public DocComments(string path)
        {
            _members = XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") != null)
                .GroupBy(m => m.Attribute("name")!.Value)
                .ToDictionary(g => g.Key, g => g.First());
        }

        public XElement? Type(Type type) => Find("T:" + Id(type));

        /// <summary>A property's docs, else those of the member it overrides (base classes declare shared parameters).</summary>
        public XElement? Property(PropertyInfo property)
        {
            for (var type = property.DeclaringType; type != null; type = type.BaseType)
            {
                var member = Find("P:" + Id(type) + "." + property.Name);
                if (member != null && Text(member.Element("summary")).Length > 0) return member;
            }
            return null;
        }

        private XElement? Find(string id) => _members.TryGetValue(id, out var member) ? member : null;

        private static string Id(Type type) => type.FullName!.Replace('+', '.');

        /// <summary>
        /// Paragraphs of a doc element: its &lt;para&gt; children (only those of paraType when given), else its text.
        /// </summary>
        public static List<string> Paragraphs(XElement? element, string? paraType = null)
        {
            if (element == null) return new List<string>();
            var paras = element.Elements("para").Where(p => paraType == null || (string?)p.Attribute("type") == paraType).Select(p => Text(p));
            if (paraType == null)
            {
                // Text outside the paras (or all of it, when there are none) is a paragraph of its own.
                var loose = Text(new XElement("loose", element.Nodes().Where(n => !(n is XElement e && e.Name == "para"))));
                paras = paras.Prepend(loose);
            }
            return paras.Where(t => t.Length > 0).ToList();
        }

        /// <summary>Flowing text: line breaks and the comments' indentation become single spaces; cref and paramref become names.</summary>
        public static string Text(XElement? element)
        {
            if (element == null) return string.Empty;
            var text = string.Concat(element.Nodes().Select(node => node switch
            {
                XText t => t.Value,
                XElement e when e.Name == "paramref" || e.Name == "typeparamref" => "-" + (string?)e.Attribute("name"),
                XElement e when (e.Name == "see" || e.Name == "seealso") && !e.Nodes().Any() =>
                    (string?)e.Attribute("langword") ?? ShortCref((string?)e.Attribute("cref") ?? (string?)e.Attribute("href") ?? ""),
                XElement e => " " + Text(e) + " ",
                _ => string.Empty,
            }));
            return Regex.Replace(text, @"\s+", " ").Trim();
        }

        private static string ShortCref(string cref)
        {
            var name = cref.Contains(':') ? cref.Substring(cref.IndexOf(':') + 1) : cref;
            var paren = name.IndexOf('(');
            if (paren >= 0) name = name.Substring(0, paren);
            return name.Substring(name.LastIndexOf('.') + 1);
        }

        /// <summary>Example code keeps its lines but loses the indentation the doc comment gave them.</summary>
        public static string Code(XElement? code)
        {
            if (code == null) return string.Empty;
            var lines = code.Value.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
            while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            if (lines.Count == 0) return string.Empty;
            // The first line starts right after <code>; the others carry the comment's indentation.
            var indent = lines.Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", lines.Select((l, i) => i == 0 ? l.TrimStart() : l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
        }
    }
}
