namespace Berth.Core.Specs.Binding;

/// <summary>What a valid value of the field looks like, when the type alone says too little: <c>a port from 1 to 65535</c> rather than <c>a whole number</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ExpectedAttribute(string description) : Attribute
{
    /// <summary>The phrase used in "expected …, found 'x'".</summary>
    public string Description { get; } = description;
}
