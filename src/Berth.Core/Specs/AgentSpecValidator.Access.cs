namespace Berth.Core.Specs;

public static partial class AgentSpecValidator
{
    // Naming the agent itself is allowed: calling its own replicas through the proxy is a legitimate (if rare) pattern.
    private static void ValidateAccess(AgentSpec spec, Paths at, List<SpecError> errors)
    {
        var agents = spec.Access?.Agents ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < agents.Count; i++)
        {
            var agent = agents[i];
            var path = at[$"access.agents[{i}]"];
            if (!SpecNames.IsDnsLabel(agent))
            {
                errors.Add(new SpecError(path, $"'{agent}' is not an agent name; expected {SpecNames.DnsLabelHint}"));
            }
            else if (!seen.Add(agent))
            {
                errors.Add(new SpecError(path, $"'{agent}' is listed twice; expected each agent once"));
            }
        }

        var capabilities = spec.Access?.Capabilities ?? [];
        var named = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < capabilities.Count; i++)
        {
            var capability = capabilities[i];
            var path = at[$"access.capabilities[{i}]"];
            if (!CapabilityRules.IsName(capability))
            {
                errors.Add(new SpecError(path, $"'{capability}' is not a capability name; expected at most {CapabilityRules.MaximumNameLength} letters, digits, '-', '_' or '.', like summarize"));
            }
            else if (!named.Add(capability))
            {
                errors.Add(new SpecError(path, $"'{capability}' is listed twice; expected each capability once"));
            }
        }

        var topics = spec.Access?.Publish ?? [];
        var published = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < topics.Count; i++)
        {
            var topic = topics[i];
            var path = at[$"access.publish[{i}]"];
            if (!SpecNames.IsDnsLabel(topic))
            {
                errors.Add(new SpecError(path, $"'{topic}' is not a topic name; expected {SpecNames.DnsLabelHint}"));
            }
            else if (!published.Add(topic))
            {
                errors.Add(new SpecError(path, $"'{topic}' is listed twice; expected each topic once"));
            }
        }
    
        var models = spec.Access?.Models ?? [];
        var granted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            var grant = models[i];
            var path = at[$"access.models[{i}]"];
            if (!Llm.ModelRules.IsGrant(grant))
            {
                errors.Add(new SpecError(path, $"'{grant}' is not a model grant; expected {Llm.ModelRules.GrantHint}"));
            }
            else if (!granted.Add(grant))
            {
                errors.Add(new SpecError(path, $"'{grant}' is listed twice; expected each grant once"));
            }
        }
    }
}
