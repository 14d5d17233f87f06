using Coffer.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Coffer.Server.Tests.Storage;

/// <summary>Marks a test class that needs PostgreSQL 15's binaries to start its own server.</summary>
public interface INeedsPostgres;

/// <summary>
/// A fact of the storage contract, written once in a base class and run by each store's class. In a
/// class that needs PostgreSQL (<see cref="INeedsPostgres"/>), it is skipped, saying why, when the
/// binaries are missing; CI installs them (.ci/run), so there it always runs.
/// </summary>
[XunitTestCaseDiscoverer("Coffer.Server.Tests.Storage.StoreFactDiscoverer", "Coffer.Server.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new StoreTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

public sealed class StoreTestCase : XunitTestCase
{
    public const string MissingPostgres = "PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb): apt-get install postgresql-15, as .ci/run does.";

    [Obsolete("For deserialization only.")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(diagnostics, display, options, method)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        typeof(INeedsPostgres).IsAssignableFrom(TestMethod.TestClass.Class.ToRuntimeType()) && !PostgresServer.Installed
            ? MissingPostgres
            : base.GetSkipReason(factAttribute);
}
