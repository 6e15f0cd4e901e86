using System.Runtime.Versioning;

// The driver and these tests need Linux: /proc, setsid, process groups.
[assembly: SupportedOSPlatform("linux")]
