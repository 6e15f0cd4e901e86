using Berth.Core.Workflows;
using Berth.Core.Workflows.Expressions;

namespace Berth.Server.Workflows.Engine;

/// <summary>One execution of a step: the step itself, or one item of a <c>forEach</c> step.</summary>
/// <param name="RunId">The run.</param>
/// <param name="WorkflowName">The run's workflow.</param>
/// <param name="Step">The step as written.</param>
/// <param name="Scope">What its expressions see (with <c>item</c> and <c>index</c> for a <c>forEach</c> item).</param>
/// <param name="Name">The step id, or <c>{id}-{index}</c> for an item: names containers and child runs.</param>
internal sealed record StepUnit(string RunId, string WorkflowName, StepSpec Step, ExpressionScope Scope, string Name);
