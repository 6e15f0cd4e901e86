using Berth.Core.Specs;
using Berth.Core.Specs.Yaml;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Planning;

namespace Berth.Core.Workflows.Specs;

public static partial class WorkflowSpecValidator
{
    // A suggestion compares the name with every candidate, and an error lists the inputs: past these sizes each unknown
    // name would cost as much as the whole spec, making validation quadratic, so the message stays short instead.
    private const int MaximumSuggestionCandidates = 1000;
    private const int MaximumListedInputs = 20;

    private static void ValidateReferences(WorkflowSpec spec, Paths at, List<SpecError> errors)
    {
        var ids = spec.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < spec.Steps.Count; i++)
        {
            var step = spec.Steps[i];
            var path = $"{at["steps"]}[{i}]";
            for (var d = 0; d < step.DependsOn.Count; d++)
            {
                var need = step.DependsOn[d];
                if (need == step.Id)
                {
                    errors.Add(new SpecError($"{path}.dependsOn[{d}]", "a step cannot depend on itself"));
                }
                else if (!ids.Contains(need))
                {
                    errors.Add(new SpecError($"{path}.dependsOn[{d}]", UnknownStep(need, ids)));
                }
            }

            foreach (var (field, text) in StepTemplates.Of(step))
            {
                ValidateTemplate(spec, step, ids, text, $"{path}.{field}", field == "forEach", errors);
            }
        }

        foreach (var (step, where, cycle) in StepGraph.Build(spec.Steps).Cycles())
        {
            errors.Add(new SpecError($"{at["steps"]}[{step}].{where}", $"cycle {string.Join(" → ", cycle)}; a step cannot need itself through others"));
        }
    }

    private static void ValidateTemplate(WorkflowSpec spec, StepSpec step, HashSet<string> ids, string text, string path, bool isForEach, List<SpecError> errors)
    {
        Template template;
        try
        {
            template = Template.Parse(text);
        }
        catch (ExpressionException exception)
        {
            errors.Add(new SpecError(path, exception.Message));
            return;
        }

        foreach (var id in template.Steps.Order(StringComparer.Ordinal))
        {
            if (id == step.Id)
            {
                errors.Add(new SpecError(path, $"steps.{id} is this step; a step cannot use its own outputs"));
            }
            else if (!ids.Contains(id))
            {
                errors.Add(new SpecError(path, $"steps.{id}: {UnknownStep(id, ids)}"));
            }
        }

        foreach (var name in template.Inputs.Order(StringComparer.Ordinal).Where(name => !spec.Inputs.ContainsKey(name)))
        {
            var suggestion = spec.Inputs.Count <= MaximumSuggestionCandidates ? FieldSuggester.Suggest(name, spec.Inputs.Keys) : null;
            errors.Add(new SpecError(path, $"inputs.{name}: unknown input; " + (suggestion is not null
                ? $"did you mean '{suggestion}'?"
                : spec.Inputs.Count == 0 ? "the workflow declares no inputs"
                : spec.Inputs.Count <= MaximumListedInputs ? $"declared inputs: {string.Join(", ", spec.Inputs.Keys)}"
                : $"the workflow declares {spec.Inputs.Count} inputs and none is named '{name}'")));
        }

        if (isForEach && !template.IsSingleExpression)
        {
            errors.Add(new SpecError(path, "expected one expression giving a list, like ${{ inputs.files }}"));
        }

        if (template.UsesItem && (isForEach || step.ForEach is null))
        {
            errors.Add(new SpecError(path, isForEach ? "forEach cannot use item or index; they are set by it" : "item and index are only set in a step with forEach"));
        }
    }

    private static string UnknownStep(string id, HashSet<string> ids)
    {
        var suggestion = ids.Count <= MaximumSuggestionCandidates ? FieldSuggester.Suggest(id, ids) : null;
        return suggestion is null ? $"unknown step '{id}'; the workflow has no step with that id" : $"unknown step '{id}'; did you mean '{suggestion}'?";
    }
}
