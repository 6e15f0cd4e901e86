using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Messaging;

/// <summary>The messaging action a route group performs, decided by <see cref="MessagingAuthorizationHandler"/> for the resource its route names.</summary>
/// <param name="Action">What the caller does.</param>
internal sealed record MessagingAccessRequirement(MessagingAction Action) : IAuthorizationRequirement;
