using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EventSourcing.Runner.Cli.Manifests;

/// <summary>A YAML mapping whose keys keep the order they were added in; a null value leaves its key out.</summary>
internal sealed class YamlMap : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _entries = [];

    public int Count => _entries.Count;

    public object? this[string key]
    {
        get => _entries.FirstOrDefault(e => e.Key == key).Value;
        set
        {
            if (value is not null)
            {
                _entries.Add(new(key, value));
            }
        }
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Writes maps (<see cref="YamlMap"/>, or a dictionary, sorted by key), lists and scalars (strings, integers, booleans)
/// as block-style YAML. A string is written plain when YAML cannot read it as anything but that string, else in double
/// quotes.
/// </summary>
internal static partial class Yaml
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~" };

    /// <summary>One document: <paramref name="comments"/> as <c>#</c> lines, then the node.</summary>
    public static string Document(object node, IEnumerable<string>? comments = null)
    {
        var text = new StringBuilder();
        foreach (var comment in comments ?? [])
        {
            text.Append(comment.Length == 0 ? "#" : "# " + comment).Append('\n');
        }

        Write(text, node, 0);
        return text.ToString();
    }

    /// <summary>Documents one after another, separated by <c>---</c>.</summary>
    public static string Documents(IEnumerable<string> documents) => string.Join("---\n", documents);

    public static string Scalar(object value) => value switch
    {
        string text => PlainScalar().IsMatch(text) && !Reserved.Contains(text) ? text : Quoted(text),
        int number => number.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => throw new ArgumentException($"No YAML scalar for a {value.GetType().Name}", nameof(value)),
    };

    private static void Write(StringBuilder text, object node, int indent)
    {
        switch (node)
        {
            case IEnumerable<KeyValuePair<string, object>> map:
                WriteMap(text, map, indent, firstLinePrefix: null);
                break;
            case IEnumerable<KeyValuePair<string, string>> strings:
                WriteMap(text, Sorted(strings), indent, firstLinePrefix: null);
                break;
            default:
                throw new ArgumentException($"A YAML document is a map, not a {node.GetType().Name}", nameof(node));
        }
    }

    /// <param name="firstLinePrefix">For a map that is an item of a list: <c>- </c>, written before its first key.</param>
    private static void WriteMap(StringBuilder text, IEnumerable<KeyValuePair<string, object>> map, int indent, string? firstLinePrefix)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            var pad = first && firstLinePrefix is not null ? new string(' ', indent - firstLinePrefix.Length) + firstLinePrefix : new string(' ', indent);
            first = false;
            text.Append(pad).Append(Scalar(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    /// <summary>What follows <c>key:</c> or <c>-</c>: a scalar on the same line, a map or list on the lines below.</summary>
    private static void WriteValue(StringBuilder text, object value, int indent)
    {
        switch (value)
        {
            case IEnumerable<KeyValuePair<string, string>> strings:
                WriteValue(text, Sorted(strings), indent);
                break;
            case IEnumerable<KeyValuePair<string, object>> map:
                if (!map.Any())
                {
                    text.Append(" {}\n");
                    break;
                }

                text.Append('\n');
                WriteMap(text, map, indent + 2, firstLinePrefix: null);
                break;
            case string or int or bool:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
            case IEnumerable list:
                var items = list.Cast<object>().ToList();
                if (items.Count == 0)
                {
                    text.Append(" []\n");
                    break;
                }

                text.Append('\n');
                foreach (var item in items)
                {
                    if (item is IEnumerable<KeyValuePair<string, object>> itemMap && itemMap.Any())
                    {
                        WriteMap(text, itemMap, indent + 4, firstLinePrefix: "- ");
                    }
                    else if (item is string or int or bool)
                    {
                        text.Append(new string(' ', indent + 2)).Append("- ").Append(Scalar(item)).Append('\n');
                    }
                    else
                    {
                        throw new ArgumentException($"A list item is a scalar or a map, not a {item.GetType().Name}", nameof(value));
                    }
                }

                break;
            default:
                throw new ArgumentException($"No YAML for a {value.GetType().Name}", nameof(value));
        }
    }

    private static List<KeyValuePair<string, object>> Sorted(IEnumerable<KeyValuePair<string, string>> strings)
        => [.. strings.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new KeyValuePair<string, object>(e.Key, e.Value))];

    private static string Quoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Strings YAML reads back as themselves when written plain: no number, no indicator, no colon or space.</summary>
    [GeneratedRegex(@"^(--?)?[A-Za-z_/][A-Za-z0-9_./@=+-]*$")]
    private static partial Regex PlainScalar();
}
