namespace Berth.Core.Workflows.Expressions;

internal enum PathRoot
{
    Inputs,
    Steps,
    Item,
    Index,
}
