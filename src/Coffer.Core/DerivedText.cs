namespace Coffer.Core;

/// <summary>
/// Text worked out from some of a record's own properties (an ARN), kept the first time it is
/// asked for: a record in the read cache is read by every hot read, which formatted its ARN again
/// each time (issue 11). It keeps the inputs it was made from, so a copy made with <c>with</c>
/// that changes them works the text out anew; and it takes no part in the record's equality.
/// Threads may share it: its one field is replaced whole, and a race only works the text out twice.
/// </summary>
/// <typeparam name="TInputs">The properties the text is made from, compared by value.</typeparam>
internal struct DerivedText<TInputs> : IEquatable<DerivedText<TInputs>>
    where TInputs : IEquatable<TInputs>
{
    private Made? _made;

    /// <summary>The text for <paramref name="inputs"/>, made by <paramref name="make"/> if the kept one was made from others.</summary>
    public string Get(TInputs inputs, Func<TInputs, string> make)
    {
        var made = _made;
        if (made is null || !made.Inputs.Equals(inputs))
        {
            made = new Made(inputs, make(inputs));
            _made = made;
        }

        return made.Text;
    }

    // What the record is, not what it has worked out: every two are equal.
    public readonly bool Equals(DerivedText<TInputs> other) => true;

    public override readonly bool Equals(object? obj) => obj is DerivedText<TInputs>;

    public override readonly int GetHashCode() => 0;

    private sealed record Made(TInputs Inputs, string Text);
}
