using Coffer.Server.Hosting;

namespace Coffer.Server.Tests.Settings;

/// <summary>The printer redacts by the [Sensitive] marking, not by a list of names (issue 8).</summary>
public sealed class OptionsPrinterTests
{
    /// <summary>An options record the printer has never seen, with a secret it was never told about.</summary>
    private sealed record NewAreaOptions
    {
        public string Endpoint { get; init; } = "https://vault.example";

        [Sensitive]
        public string? BrandNewApiToken { get; init; }

        [Sensitive]
        public IReadOnlyList<string> RecoveryCodes { get; init; } = [];

        public int Retries { get; init; } = 3;
    }

    [Fact]
    public void A_new_sensitive_option_is_redacted_without_touching_the_printer()
    {
        var text = OptionsPrinter.Describe(new NewAreaOptions { BrandNewApiToken = "tok-canary-4242", RecoveryCodes = ["code-canary-1", "code-canary-2"] });

        Assert.Contains("brand-new-api-token: (redacted)", text, StringComparison.Ordinal);
        Assert.Contains("recovery-codes: (redacted)", text, StringComparison.Ordinal);
        Assert.Contains("endpoint: https://vault.example", text, StringComparison.Ordinal);
        Assert.Contains("retries: 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unset_secret_shows_as_not_set()
    {
        Assert.Contains("brand-new-api-token: (not set)", OptionsPrinter.Describe(new NewAreaOptions()), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sensitive_server_option_is_redacted_and_its_record_ToString_too()
    {
        var options = new CofferServerOptions { DevRootSecretAccessKey = "dev-secret-canary", UnsealPassphrase = "passphrase-canary" };
        Assert.DoesNotContain("canary", options.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("canary", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("unseal-passphrase: (redacted)", options.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_value_is_reported_with_its_name_and_source()
    {
        var errors = new List<string>();
        OptionsBinder.Bind<NewAreaOptions>([new SettingsLayer("test", true, [new SettingsLayer.Entry("retries", "x-canary", "--retries")])], errors);
        Assert.Equal(["retries must be a whole number, got 'x-canary' (from --retries)"], errors);
    }
}
