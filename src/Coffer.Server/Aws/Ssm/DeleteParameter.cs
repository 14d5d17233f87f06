using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.Ssm;

public static class DeleteParameter
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "DeleteParameter", static () => SsmJson.Default.NameRequest, static () => SsmJson.Default.Empty,
        async (s, call, r, ct) =>
        {
            await s.Parameters.DeleteParameterAsync(call, r.Name, ct);
            return new Empty();
        });
}
