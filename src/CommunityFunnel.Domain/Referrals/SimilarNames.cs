namespace CommunityFunnel.Domain.Referrals;

/// <summary>
/// Two display names that look like one person's: the same letters once case, spaces and punctuation are set aside, or
/// one letter apart in names of four or more letters ("Anna Lee" and "Ana Lee"). Identical names are similar too.
/// </summary>
public static class SimilarNames
{
    public static bool Are(string first, string second)
    {
        var a = Letters(first);
        var b = Letters(second);
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        return a == b || (Math.Min(a.Length, b.Length) >= 4 && WithinOneEdit(a, b));
    }

    private static string Letters(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static bool WithinOneEdit(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var (i, j, edits) = (0, 0, 0);
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                (i, j) = (i + 1, j + 1);
                continue;
            }

            if (++edits > 1)
            {
                return false;
            }

            (i, j) = a.Length > b.Length ? (i + 1, j) : a.Length < b.Length ? (i, j + 1) : (i + 1, j + 1);
        }

        return edits + (a.Length - i) + (b.Length - j) <= 1;
    }
}
