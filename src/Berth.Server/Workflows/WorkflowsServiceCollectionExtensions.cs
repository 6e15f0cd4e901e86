using Berth.Core.Workflows.Execution;
using Berth.Server.Workflows.Api;
using Berth.Server.Workflows.Caching;
using Berth.Server.Workflows.Engine;
using Berth.Server.Workflows.Resilience;
using Berth.Server.Workflows.Schedules;
using Berth.Server.Workflows.Steps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.Workflows;

/// <summary>Registers the workflow engine, its step actions, caching, resilience and schedules.</summary>
internal static class WorkflowsServiceCollectionExtensions
{
    public static IServiceCollection AddBerthWorkflows(this IServiceCollection services)
    {
        services.TryAddSingleton<IContainerStepRunner, NoContainerStepRunner>();
        services.TryAddSingleton<CacheKeyBuilder>();
        services.TryAddSingleton<CircuitBreakers>();
        services.TryAddSingleton<StepResilience>();
        services.TryAddSingleton<ContainerStepAction>();
        services.TryAddSingleton<AgentStepAction>();
        services.TryAddSingleton<PluginStepAction>();
        services.TryAddSingleton<ChildWorkflowAction>();
        services.TryAddSingleton<StepExecutor>();
        services.TryAddSingleton<RunExecution>();
        services.TryAddSingleton<RunEventHub>();
        services.TryAddSingleton<ActiveRuns>();
        services.TryAddSingleton<EngineWake>();
        services.TryAddSingleton<RunCommands>();
        services.TryAddSingleton<WorkflowChanges>();
        services.TryAddSingleton<WorkflowCommands>();
        services.TryAddSingleton<RunExplainer>();
        services.TryAddSingleton<WorkflowRuns>();
        services.TryAddSingleton<RunFollower>();
        services.AddHostedService<WorkflowEngine>();
        services.AddHostedService<RunCancelListener>();
        services.AddHostedService<WorkflowScheduler>();
        return services;
    }
}
