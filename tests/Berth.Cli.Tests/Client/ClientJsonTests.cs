using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Llm;
using Berth.Core.Requests;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Cli.Tests.Client;

/// <summary>The client's JSON is source-generated only, as the Native AOT <c>berth</c> needs; these run under the JIT but see the same contracts.</summary>
public sealed class ClientJsonTests
{
    [Fact]
    public void Options_TypeNoContextDeclares_IsRefusedRatherThanReflected()
    {
        // With a reflection fallback this would succeed here and fail only in the published binary.
        Should.Throw<NotSupportedException>(() => BerthClientJson.Options.GetTypeInfo(typeof(Unlisted)));
    }

    [Fact]
    public void ApiEnums_EveryOne_CarriesTheGenericKebabCaseConverter()
    {
        var enums = typeof(AgentSpec).Assembly.GetExportedTypes().Where(t => t.IsEnum).ToList();

        enums.ShouldNotBeEmpty();
        foreach (var type in enums)
        {
            type.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType.ShouldBe(
                typeof(KebabCaseEnumConverter<>).MakeGenericType(type),
                $"{type.Name} needs [JsonConverter(typeof(KebabCaseEnumConverter<{type.Name}>))]: the AOT CLI has no reflection-based enum converter");
        }
    }

    [Theory]
    [InlineData(RequestState.DeadLettered, "\"dead-lettered\"")]
    [InlineData(RestartPolicy.OnFailure, "\"on-failure\"")]
    public void Serialize_ApiEnum_WritesTheApiName(object value, string expected)
    {
        JsonSerializer.Serialize(value, value.GetType(), BerthClientJson.Options).ShouldBe(expected);
    }

    [Theory]
    [InlineData("json", "[]")]
    [InlineData("yaml", "[]")]
    public void Write_ListsTheCliPrints_ResolveWithoutReflection(string name, string expected)
    {
        var format = Enum.Parse<OutputFormat>(name, ignoreCase: true);
        foreach (var write in new Action<TextWriter>[]
        {
            output => DataWriter.Write<IReadOnlyList<AgentView>>(output, [], format),
            output => DataWriter.Write<IReadOnlyList<RequestView>>(output, [], format),
            output => DataWriter.Write<IReadOnlyList<TokenView>>(output, [], format),
            output => DataWriter.Write<IReadOnlyList<RunView>>(output, [], format),
            output => DataWriter.Write<IReadOnlyList<AuditRecord>>(output, [], format),
            output => DataWriter.Write<IReadOnlyList<ModelEndpointView>>(output, [], format),
            output => DataWriter.Write<IReadOnlyList<BudgetStatus>>(output, [], format),
        })
        {
            using var output = new StringWriter();
            write(output);
            output.ToString().Trim().ShouldBe(expected);
        }
    }

    [Fact]
    public void Formats_Name_AgentState_IsTheApiName()
    {
        Formats.Name(AgentState.Unhealthy).ShouldBe("unhealthy");
    }

    [Fact]
    public void Formats_Name_BudgetPeriodAndScope_AreWhatTheBudgetRoutesAndTheCliWrite()
    {
        // The client builds the routes and the CLI its --period values from WireName; the JSON must say the same.
        foreach (var period in Enum.GetValues<BudgetPeriod>())
        {
            Formats.Name(period).ShouldBe(period.WireName());
        }

        foreach (var scope in Enum.GetValues<BudgetScope>())
        {
            Formats.Name(scope).ShouldBe(scope.WireName());
        }

        (Formats.Name(BudgetPeriod.Run), Formats.Name(BudgetScope.Workflow)).ShouldBe(("run", "workflow"));
    }

    [Fact]
    public void Deserialize_WorkflowPerRunBudgetStatus_ReadsScopeNameRunAndNoReset()
    {
        const string Json = """
            [{"budget":{"scope":"workflow","name":"research","period":"run","maxTokens":140,"maxCost":null,"subject":"workflow/research"},
              "runId":"0195f3c2a1b47d6e","usedTokens":29,"usedCost":0.000126,"remainingTokens":111,"remainingCost":null,"resetsAt":null}]
            """;

        var status = JsonSerializer.Deserialize(Json, BerthClientJson.TypeInfo<List<BudgetStatus>>())!.ShouldHaveSingleItem();

        (status.Budget.Scope, status.Budget.Name, status.Budget.Period, status.Budget.Subject).ShouldBe((BudgetScope.Workflow, "research", BudgetPeriod.Run, "workflow/research"));
        (status.RunId, status.UsedTokens, status.RemainingTokens, status.ResetsAt).ShouldBe(("0195f3c2a1b47d6e", 29L, (long?)111, (DateTimeOffset?)null));
    }

    private sealed record Unlisted(string Name);
}
