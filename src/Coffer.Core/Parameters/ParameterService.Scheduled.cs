using System.Globalization;
using System.Text.Json.Nodes;
using Coffer.Core.Events;

namespace Coffer.Core.Parameters;

public sealed partial class ParameterService
{
    /// <summary>
    /// Carries out the parameter policies due now: an Expiration deletes its parameter; an
    /// ExpirationNotification or NoChangeNotification announces itself with AWS's
    /// "Parameter Store Policy Action" event. Each parameter is its own transaction with its audit
    /// record and events. Returns how many policies acted.
    /// </summary>
    public async Task<int> RunDueWorkAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var done = 0;
        foreach (var due in await store.ReadAsync((s, ct) => s.Parameters.FindDueAsync(now, 100, ct), ct))
        {
            var call = Call.ByService("ssm.amazonaws.com", due.AccountId, due.Region, "ParameterPolicyAction", now, due.Arn, ResourceType);
            done += await audit.WriteChangeAsync(call, async (s, ct) =>
            {
                var parameter = await s.Parameters.FindAsync(due.AccountId, due.Region, due.Name, ct);
                return parameter is null ? 0 : await ApplyDuePoliciesAsync(s, call, parameter, now, ct);
            }, ct);
        }

        return done;
    }

    private static async ValueTask<int> ApplyDuePoliciesAsync(Storage.IStoreSession s, Call call, Parameter parameter, DateTimeOffset now, CancellationToken ct)
    {
        var current = parameter.Current;
        var acted = 0;
        var policies = new List<ParameterPolicy>();
        foreach (var policy in current.Policies)
        {
            if (policy.Status != ParameterPolicy.Pending || ParameterPolicies.DueAt(policy, current) is not { } due || due > now)
            {
                policies.Add(policy);
                continue;
            }

            acted++;
            await s.Events.AppendAsync(PolicyActionEvent(call, parameter, policy, now), ct);
            if (policy.Type == ParameterPolicies.Expiration)
            {
                await s.Parameters.DeleteAsync(parameter.AccountId, parameter.Region, parameter.Name, ct);
                await s.Events.AppendAsync(ChangeEvent(call, "Delete", parameter.Arn, current), ct);
                return acted;
            }

            policies.Add(policy with { Status = ParameterPolicy.Finished });
        }

        var updated = current with { Policies = policies };
        await s.Parameters.UpdateVersionPoliciesAsync(parameter.AccountId, parameter.Region, updated, ct);
        await s.Parameters.SaveAsync(parameter with { Current = updated }, ct);
        return acted;
    }

    /// <summary>AWS's "Parameter Store Policy Action" event.</summary>
    private static CofferEvent PolicyActionEvent(Call call, Parameter parameter, ParameterPolicy policy, DateTimeOffset now)
    {
        var reason = policy.Type switch
        {
            ParameterPolicies.Expiration => $"Parameter {parameter.Name} expired and was deleted.",
            ParameterPolicies.ExpirationNotification => $"Expiration date: {Iso(ParameterPolicies.ExpirationOf(parameter.Current))}. Parameter {parameter.Name} will expire.",
            _ => $"Parameter {parameter.Name} has not been changed since {Iso(parameter.Current.LastModifiedDate)}.",
        };
        return ChangeEvents.ServiceEvent("aws.ssm", "Parameter Store Policy Action", parameter.AccountId, parameter.Region, now, [parameter.Arn], new JsonObject
        {
            ["parameter-name"] = parameter.Name,
            ["parameter-type"] = parameter.Current.Type,
            ["policy-type"] = policy.Type,
            ["policy-content"] = policy.Text,
            ["action-status"] = "Finished",
            ["action-reason"] = reason,
        });
    }

    private static string Iso(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? "";
}
