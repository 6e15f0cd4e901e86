namespace Berth.Core.Workflows.Expressions;

internal enum PathRoot
{
    Inputs,
    Trigger,
    Steps,
    Item,
    Index,
}
