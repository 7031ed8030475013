namespace CommunityFunnel.Application.Common;

/// <summary>
/// A checked page of a list: a 0-based <see cref="Index"/> and a <see cref="Size"/> clamped to the list's maximum,
/// whose <see cref="Offset"/> always fits in an <see cref="int"/>. Every paged read builds one through
/// <see cref="Create"/>, so no page number, however large or negative, can overflow into a server error.
/// </summary>
public readonly record struct PageRequest
{
    public const string OutOfRangeCode = "page_out_of_range";

    private PageRequest(int index, int size)
    {
        Index = index;
        Size = size;
    }

    public int Index { get; }
    public int Size { get; }
    public int Offset => Index * Size; // Create refuses any index whose offset would not fit

    /// <summary>
    /// A page size above <paramref name="maxSize"/> is clamped to it; a size below 1, a negative index, or an
    /// index whose offset (index x size, computed in 64 bits) is past <see cref="int.MaxValue"/> is refused.
    /// A page past the end of the list within that range is simply empty.
    /// </summary>
    public static Result<PageRequest> Create(long index, int size, int maxSize)
    {
        if (size < 1)
        {
            return Failure.Invalid(OutOfRangeCode, "The page size must be at least 1.", "pageSize");
        }

        if (index < 0)
        {
            return Failure.Invalid(OutOfRangeCode, "Pages are numbered from 1.", "page");
        }

        var clamped = Math.Min(size, maxSize);
        var lastIndex = int.MaxValue / clamped;
        if (index > lastIndex)
        {
            return Failure.Invalid(OutOfRangeCode, $"The page is out of range: with {clamped} per page, the last page is {lastIndex + 1L}.", "page");
        }

        return new PageRequest((int)index, clamped);
    }

    /// <summary>The API's 1-based <c>page</c> and optional <c>pageSize</c> query parameters.</summary>
    public static Result<PageRequest> FromPageNumber(int? page, int? pageSize, int defaultSize, int maxSize) =>
        Create((page ?? 1) - 1L, pageSize ?? defaultSize, maxSize);
}
