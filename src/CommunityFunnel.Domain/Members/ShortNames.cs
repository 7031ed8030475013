using System.Globalization;
using System.Text;

namespace CommunityFunnel.Domain.Members;

/// <summary>
/// How a member appears to another member (the people someone brought): enough to recognise a friend, not a full name.
/// Western-style names keep the first word and the last word's initial ("Wang Lei" → "Wang L."); a name that starts in
/// Chinese, Japanese or Korean script keeps its first character and masks the rest with one star ("王小明" → "王*"),
/// as Chinese apps do, without telling how long the name is.
/// </summary>
public static class ShortNames
{
    public static string Of(string displayName)
    {
        var words = displayName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return "?";
        }

        var first = words[0];
        if (Rune.GetRuneAt(first, 0) is var rune && IsEastAsian(rune))
        {
            return StringInfo.GetNextTextElement(first) + "*";
        }

        return words.Length == 1 ? first : $"{first} {StringInfo.GetNextTextElement(words[^1]).ToUpperInvariant()}.";
    }

    /// <summary>Han ideographs, kana and Hangul: scripts whose names are written without spaces, family name first.</summary>
    private static bool IsEastAsian(Rune rune) => rune.Value switch
    {
        >= 0x1100 and <= 0x11FF => true, // Hangul Jamo
        >= 0x3040 and <= 0x30FF => true, // Hiragana, Katakana
        >= 0x3400 and <= 0x4DBF => true, // CJK Extension A
        >= 0x4E00 and <= 0x9FFF => true, // CJK Unified Ideographs
        >= 0xAC00 and <= 0xD7AF => true, // Hangul syllables
        >= 0xF900 and <= 0xFAFF => true, // CJK Compatibility Ideographs
        >= 0x20000 and <= 0x3134F => true, // CJK Extensions B to G
        _ => false,
    };
}
