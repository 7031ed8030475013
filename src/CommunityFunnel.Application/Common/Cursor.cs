using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommunityFunnel.Application.Common;

/// <summary>One page of a list read with keyset paging; <c>NextCursor</c> is null on the last page.</summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Where a list ordered by id stopped (ids are UUIDv7: creation order to the millisecond, and stable under inserts);
/// <c>List</c> names the list, so a groups cursor is refused by the orders list.
/// </summary>
public sealed record IdPosition(string List, Guid After);

/// <summary>A checked request for a page of an id-ordered list: after which id (none: from the start), and how many.</summary>
public readonly record struct IdPageRequest(Guid? After, int Limit);

/// <summary>
/// Opaque cursors for keyset paging: the sort key of the last row a page returned, as base64url JSON. The position
/// record names the list (a users cursor does not decode as an orders cursor); anything that does not decode into it
/// exactly, forged or cut short, is the stable <c>invalid_cursor</c> failure, never an exception.
/// </summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private static readonly JsonSerializerOptions Json = new()
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Encode<TPosition>(TPosition position)
        where TPosition : notnull =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position, Json));

    /// <summary>The position a cursor stands for; a missing cursor is the first page (null position).</summary>
    public static Result<TPosition?> Decode<TPosition>(string? cursor)
        where TPosition : class
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return (TPosition?)null;
        }

        try
        {
            var position = JsonSerializer.Deserialize<TPosition>(Base64Url.DecodeFromChars(cursor), Json);
            if (position is null)
            {
                return InvalidCursor();
            }

            return position;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException)
        {
            return InvalidCursor();
        }
    }

    /// <summary>A page size within 1..<see cref="MaxLimit"/>: none is the default, more than the maximum is clamped.</summary>
    public static Result<int> Limit(int? requested) =>
        requested switch
        {
            null => DefaultLimit,
            < 1 => Failure.Invalid("invalid_limit", $"limit must be between 1 and {MaxLimit}.", "limit"),
            > MaxLimit => MaxLimit,
            { } limit => limit,
        };

    /// <summary>Builds the page from up to limit + 1 rows read in order: the extra row only says another page exists.</summary>
    public static CursorPage<T> Page<T, TPosition>(IReadOnlyList<T> rowsPlusOne, int limit, Func<T, TPosition> positionOf)
        where TPosition : notnull =>
        rowsPlusOne.Count > limit
            ? new CursorPage<T>(rowsPlusOne.Take(limit).ToList(), Encode(positionOf(rowsPlusOne[limit - 1])))
            : new CursorPage<T>(rowsPlusOne, null);

    /// <summary>The id a page of <paramref name="list"/> starts after; null for the first page.</summary>
    public static Result<Guid?> After(string list, string? cursor)
    {
        var position = Decode<IdPosition>(cursor);
        if (position.Failure is { } failure)
        {
            return failure;
        }

        return position.Value switch
        {
            null => (Guid?)null,
            { List: var named } when named != list => InvalidCursor(),
            { After: var after } => after,
        };
    }

    /// <summary>The cursor and limit of a request for a page of <paramref name="list"/>, checked together.</summary>
    public static Result<IdPageRequest> ReadIdPage(string list, string? cursor, int? limit)
    {
        var after = After(list, cursor);
        var size = Limit(limit);
        return (after.Failure ?? size.Failure) is { } invalid ? invalid : new IdPageRequest(after.Value, size.Value);
    }

    /// <summary>A page of <paramref name="list"/> from up to limit + 1 rows read in id order.</summary>
    public static CursorPage<T> PageById<T>(string list, IReadOnlyList<T> rowsPlusOne, int limit, Func<T, Guid> idOf) =>
        Page(rowsPlusOne, limit, row => new IdPosition(list, idOf(row)));

    private static Failure InvalidCursor() =>
        Failure.Invalid("invalid_cursor", "The cursor is not one this list returned; start again without a cursor.", "cursor");
}
