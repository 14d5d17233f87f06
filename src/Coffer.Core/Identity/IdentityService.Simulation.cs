namespace Coffer.Core.Identity;

public sealed partial class IdentityService
{
    public async Task<IReadOnlyList<SimulationResult>> SimulatePrincipalPolicyAsync(Call call, PolicySimulator simulator, SimulationInput input, CancellationToken ct)
    {
        await AuthorizeAsync(call, "iam:SimulatePrincipalPolicy", input.PolicySourceArn, "AWS::IAM::Principal", null, ct);
        return await simulator.SimulateAsync(call, input, ct);
    }
}
