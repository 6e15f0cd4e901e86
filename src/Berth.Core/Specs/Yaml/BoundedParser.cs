using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Core.Specs.Yaml;

/// <summary>
/// Reads YAML events like YamlDotNet's own parser, but stops with a <see cref="YamlException"/> at the first collection
/// nested deeper than <see cref="SpecReader.MaximumDepth"/> and at the first alias. Building the node tree recurses once
/// per level, so a file of 100,000 nested <c>[</c> would otherwise overflow the stack and end the process; an alias
/// is refused because a chain of them expands exponentially when the value is copied out (and specs never need one).
/// </summary>
internal sealed class BoundedParser(IParser inner) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > SpecReader.MaximumDepth:
                throw new YamlException(inner.Current.Start, inner.Current.End,
                    $"nesting deeper than {SpecReader.MaximumDepth} levels (the limit on nested mappings and lists); flatten the value");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
            case AnchorAlias alias:
                throw new YamlException(alias.Start, alias.End, $"aliases (*{alias.Value}) are not supported; write the value out");
        }

        return true;
    }
}
