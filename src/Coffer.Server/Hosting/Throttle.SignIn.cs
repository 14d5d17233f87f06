using System.Net;

namespace Coffer.Server.Hosting;

/// <summary>
/// Console sign-in (issue 15): password failures are counted per user name and per source address,
/// with the same window and penalty as signature failures. Per address, so that one host trying many
/// users (credential stuffing) is slowed; per user, so that many hosts guessing one password are too.
/// The penalty slows to one attempt a second rather than locking out, so an attacker cannot keep a
/// user from signing in by failing on purpose for long.
/// </summary>
public sealed partial class Throttle
{
    /// <summary>Whether a sign-in for this user from this address may be tried now.</summary>
    public bool TryPassSignIn(string userName, IPAddress? address)
    {
        var byUser = !_failures.TryGetValue(SignInUserKey(userName), out var user) || user.TryPass(time);
        var byAddress = !_failures.TryGetValue(SignInAddressKey(address), out var source) || source.TryPass(time);
        return byUser && byAddress;
    }

    /// <summary>Records a failed sign-in for the user name and the source address.</summary>
    public void SignInFailed(string userName, IPAddress? address)
    {
        _failures.GetOrAdd(SignInUserKey(userName), _ => new SignatureFailures(settings)).Record(time);
        _failures.GetOrAdd(SignInAddressKey(address), _ => new SignatureFailures(settings)).Record(time);
        SweepIfLarge();
    }

    private static string SignInUserKey(string userName) => "signin-user:" + userName.ToLowerInvariant();

    private static string SignInAddressKey(IPAddress? address) => "signin-from:" + Source(address);
}
