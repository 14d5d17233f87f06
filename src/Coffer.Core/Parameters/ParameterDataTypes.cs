using System.Text.RegularExpressions;

namespace Coffer.Core.Parameters;

/// <summary>
/// The data types a parameter may have: <c>text</c> (no check) and <c>aws:ec2:image</c>, an AMI id.
/// AWS checks an AMI id's format when the parameter is written and then, asynchronously, that EC2 has
/// the image; Coffer has no EC2, so it checks the format only, and refuses a bad one at once. Issue 13.
/// </summary>
public static partial class ParameterDataTypes
{
    public const string Text = "text";
    public const string Ec2Image = "aws:ec2:image";

    /// <summary>Checks a write's data type against the type, the value, and the data type it had.</summary>
    public static void Check(string dataType, string? previous, string type, string value)
    {
        if (previous is not null && previous != dataType && (previous == Ec2Image || dataType == Ec2Image))
        {
            throw SsmErrors.Validation($"You can't change the data type of a parameter from {previous} to {dataType}.");
        }

        if (dataType != Ec2Image)
        {
            return;
        }

        if (type != ParameterTypes.String)
        {
            throw SsmErrors.Validation($"The data type {Ec2Image} supports the String parameter type only.");
        }

        if (!AmiId().IsMatch(value))
        {
            // The value is not echoed: AWS's message shows it, Coffer keeps values out of errors.
            throw SsmErrors.Validation($"Parameter value cannot be validated against the data type {Ec2Image}: an AMI ID is ami- followed by 8 or 17 lowercase hexadecimal digits.");
        }
    }

    [GeneratedRegex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant)]
    private static partial Regex AmiId();
}
