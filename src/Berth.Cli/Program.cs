using Berth.Cli;
using Berth.Core.Processes;

using var signals = new ShutdownSignals();
return await CliApp.RunAsync(args, CliContext.FromProcess(), signals.Token);
