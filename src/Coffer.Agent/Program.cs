return await Coffer.Agent.AgentProgram.RunAsync();
