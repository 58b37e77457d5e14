namespace AgentSync.Scrubbing;

/// <summary>
/// Decides whether the value of a generic <c>password = ...</c> assignment looks machine-made. A keyword alone is far too
/// noisy in engineering text (type hints, config keys, prose), so the value must also be varied enough to be a real secret.
/// </summary>
internal static class Entropy
{
    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Shannon(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
            return 0;

        var counts = new Dictionary<char, int>();
        foreach (var c in value)
            counts[c] = counts.GetValueOrDefault(c) + 1;

        double bits = 0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / value.Length;
            bits -= p * Math.Log2(p);
        }

        return bits;
    }

    public static bool LooksRandom(ReadOnlySpan<char> value)
    {
        if (value.Length < 8)
            return false;

        bool lower = false, upper = false, digit = false, symbol = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterLower(c)) lower = true;
            else if (char.IsAsciiLetterUpper(c)) upper = true;
            else if (char.IsAsciiDigit(c)) digit = true;
            // Separators are how identifiers and slugs are built, so they say nothing about randomness.
            else if (c is not ('-' or '_' or '.' or ' ')) symbol = true;
        }

        // A word alone (an identifier, a type, prose) is never taken for a secret.
        if (!(lower || upper) || !(digit || symbol))
            return false;

        if (IsSlug(value))
            return false;

        var classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0);

        // The highest entropy a string can reach is log2(length), so short values get a threshold scaled to it;
        // from 16 characters on, gitleaks' 3.5 bits holds. hunter2hunter2 (2.8 bits) stays below, q8Zr!x2Lp0vW9s (3.8) passes.
        var threshold = value.Length >= 16 ? 3.5 : 0.85 * Math.Log2(value.Length);
        return Shannon(value) >= threshold && (classes >= 3 || (value.Length >= 16 && classes >= 2));
    }

    /// <summary>
    /// Names built from words and numbers (prod-db-credentials-v2, gpt-4o-mini-2024-07-18) are varied but not random:
    /// every part is a word, a number or a tiny tag. A generated token mixes letters and digits inside its parts.
    /// </summary>
    private static bool IsSlug(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny('-', '_', '.') < 0)
            return false;

        foreach (var range in value.SplitAny("-_."))
        {
            var part = value[range];
            var word = !part.ContainsAnyExceptInRange('a', 'z') || !part.ContainsAnyExceptInRange('A', 'Z')
                || (part.Length > 1 && char.IsAsciiLetterUpper(part[0]) && !part[1..].ContainsAnyExceptInRange('a', 'z'));
            var number = !part.ContainsAnyExceptInRange('0', '9');
            if (!(word || number || part.Length <= 3))
                return false;
        }

        return true;
    }
}
