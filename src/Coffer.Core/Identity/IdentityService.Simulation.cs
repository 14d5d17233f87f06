namespace Coffer.Core.Identity;

public sealed partial class IdentityService
{
    public IReadOnlyList<SimulationResult> SimulatePrincipalPolicy(Call call, PolicySimulator simulator, SimulationInput input)
    {
        Authorize(call, "iam:SimulatePrincipalPolicy", input.PolicySourceArn, "AWS::IAM::Principal");
        return simulator.Simulate(call, input);
    }
}
