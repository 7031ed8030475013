using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Tests.Common;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("displayName", "Display name is required.")]
    [InlineData("name", "Name is required.")]
    [InlineData("", "Value is required.")]
    public void AMissingName_IsNamedInWords_NotAsTheFieldsCodeName(string field, string message) =>
        Assert.Equal(message, TextRules.CheckName("  ", field, 80, out _)?.Message);

    [Fact]
    public void ATooLongNote_NamesTheFieldInWords() =>
        Assert.StartsWith("Audience notes must be at most 3 characters", TextRules.CheckOptionalText("abcd", "audienceNotes", 3, out _)?.Message, StringComparison.Ordinal);
}
