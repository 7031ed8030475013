using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Tests.Members;

public sealed class ShortNamesTests
{
    [Theory]
    [InlineData("Wang Lei", "Wang L.")]
    [InlineData("  ada   lovelace  ", "ada L.")]
    [InlineData("María José Álvarez", "María Á.")]
    [InlineData("Ada", "Ada")]
    [InlineData("王小明", "王*")]
    [InlineData("欧阳 娜娜", "欧*")]
    [InlineData("王 Lily", "王*")]
    [InlineData("Lily 王", "Lily 王.")]
    [InlineData("김민준", "김*")]
    [InlineData("𠮷野家", "𠮷*")]
    [InlineData("   ", "?")]
    public void Of_KeepsAFirstNameAndAnInitial_OrOneCharacterOfAnEastAsianName(string displayName, string expected) =>
        Assert.Equal(expected, ShortNames.Of(displayName));
}
