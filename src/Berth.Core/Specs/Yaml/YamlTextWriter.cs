using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Core.Specs.Yaml;

/// <summary>Emits one YAML document through YamlDotNet's emitter, quoting text that would otherwise read back as another type and escaping <c>${</c> so substitution leaves it alone.</summary>
internal sealed partial class YamlTextWriter
{
    private readonly Emitter _emitter;

    public YamlTextWriter(TextWriter output)
    {
        _emitter = new Emitter(output, new EmitterSettings().WithBestWidth(int.MaxValue));
        _emitter.Emit(new StreamStart());
        _emitter.Emit(new DocumentStart(null, null, isImplicit: true));
    }

    public void Finish()
    {
        _emitter.Emit(new DocumentEnd(isImplicit: true));
        _emitter.Emit(new StreamEnd());
    }

    public void BeginMap(string key, bool flow = false)
    {
        Key(key);
        BeginMap(flow);
    }

    public void BeginMap(bool flow = false) =>
        _emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, flow ? MappingStyle.Flow : MappingStyle.Block));

    public void EndMap() => _emitter.Emit(new MappingEnd());

    public void Key(string key) => Text(key);

    /// <summary>A text value, quoted when it would read back as null, a boolean or a number.</summary>
    public void Text(string value)
    {
        var escaped = Escape(value);
        var style = NeedsQuotes(escaped) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, escaped, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    /// <summary>A number or other value written as is, unquoted.</summary>
    public void Plain(string value) =>
        _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    public void Field(string key, string value)
    {
        Key(key);
        Text(value);
    }

    public void PlainField(string key, string value)
    {
        Key(key);
        Plain(value);
    }

    public void List(string key, IEnumerable<string> values)
    {
        Key(key);
        _emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow));
        foreach (var value in values)
        {
            Text(value);
        }

        _emitter.Emit(new SequenceEnd());
    }

    public void BeginList(string key)
    {
        Key(key);
        BeginList();
    }

    public void BeginList(bool flow = false) =>
        _emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, flow ? SequenceStyle.Flow : SequenceStyle.Block));

    public void EndList() => _emitter.Emit(new SequenceEnd());

    // Substitution turns "$${" into "${"; references it keeps as they are need no escape.
    private static string Escape(string value) => UnsafeReference().Replace(value, "$$$${");

    private static bool NeedsQuotes(string value) => value.Length == 0 || ImplicitlyTyped().IsMatch(value);

    [GeneratedRegex(@"\$\{(?!secret:|\{)", RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeReference();

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|<<)$", RegexOptions.CultureInvariant)]
    private static partial Regex ImplicitlyTyped();
}
