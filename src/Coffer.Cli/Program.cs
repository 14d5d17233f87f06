using System.CommandLine;
using Coffer.Cli.Commands;

var root = new RootCommand("Coffer: a self-hosted secrets service that speaks the AWS KMS, SSM Parameter Store and Secrets Manager APIs.");
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(InitCommand.Create());
root.Subcommands.Add(TlsCommand.Create());
root.Subcommands.Add(UnsealCommand.Create());
root.Subcommands.Add(AccessCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(ParamsCommand.Create());
root.Subcommands.Add(FunctionsCommand.Create());
root.Subcommands.Add(EventsCommand.Create());
root.Subcommands.Add(UsageCommand.Create());
return await root.Parse(args).InvokeAsync();
