using Microsoft.AspNetCore.Http;

namespace Berth.Server.RateLimiting;

/// <summary>
/// Thrown while a chunked body is read when its caller's byte budget is spent. A <see cref="BadHttpRequestException"/>, so
/// the proxy treats it as the client's error (as it does an oversized body), never as the agent's.
/// </summary>
internal sealed class ByteBudgetSpentException(TimeSpan retryAfter)
    : BadHttpRequestException("The caller's request-body byte budget is spent.", StatusCodes.Status429TooManyRequests)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
