namespace Berth.Core.Workflows.Expressions;

/// <summary>One accessor of a path: <c>.name</c> or <c>['key']</c> (<see cref="Name"/>), or <c>[0]</c> (<see cref="Index"/>).</summary>
internal readonly record struct Segment(string? Name, int? Index, int Position)
{
    public override string ToString() => Name is null ? $"[{Index}]" : $".{Name}";
}
