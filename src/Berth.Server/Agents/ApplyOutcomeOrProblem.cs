using Berth.Client.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Agents;

/// <summary>Either the applied result or the problem that stopped it.</summary>
internal sealed record ApplyOutcomeOrProblem(ApplyResponse? Response, ProblemHttpResult? Problem);
