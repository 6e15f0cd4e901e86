namespace Berth.Core.Storage;

/// <summary>
/// Who a store is, as the first server to start on it wrote: <see cref="Id"/>, which every server sharing the store uses where
/// they must agree, and <see cref="KeyCheck"/>, a value encrypted with the secrets key the store is written with.
/// </summary>
public sealed record StoreIdentity(string Id, byte[] KeyCheck);
