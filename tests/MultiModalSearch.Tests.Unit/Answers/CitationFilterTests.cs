using MultiModalSearch.Core.Answers;

namespace MultiModalSearch.Tests.Answers;

/// <summary>The streaming citation check: split citations, groups, brackets that are not citations, the spaces before a removed one.</summary>
public sealed class CitationFilterTests
{
    private static (string Text, CitationFilter Filter) Run(int sources, params string[] pieces)
    {
        var filter = new CitationFilter(sources);
        var text = string.Concat(pieces.Select(filter.Push)) + filter.Flush();
        return (text, filter);
    }

    [Theory]
    [InlineData("Red [1].", "Red [1].")]
    [InlineData("Red [4].", "Red.")]
    [InlineData("Red [4] and blue [2].", "Red and blue [2].")]
    [InlineData("Red [1, 4, 2].", "Red [1, 2].")]
    [InlineData("Red [0][3].", "Red [3].")]
    [InlineData("A list [] and [ ] and [a] stay.", "A list [] and [ ] and [a] stay.")]
    [InlineData("Unclosed [2", "Unclosed [2")]
    [InlineData("Range [1-3] is text.", "Range [1-3] is text.")]
    [InlineData("[12]", "")]
    public void CitationsOutsideTheGivenSourcesAreCut(string answer, string expected)
    {
        var (text, _) = Run(3, answer);

        Assert.Equal(expected, text);
    }

    [Fact]
    public void ACitationSplitAcrossPiecesIsHeldUntilDecided()
    {
        var filter = new CitationFilter(3);

        var first = filter.Push("It is red [");
        var second = filter.Push("1");
        var third = filter.Push("2] and round [");
        var fourth = filter.Push("2].");

        Assert.Equal("It is red", first);
        Assert.Equal("", second);
        Assert.Equal(" and round", third);
        Assert.Equal(" [2].", fourth);
        Assert.Equal([2], filter.Cited);
        Assert.Equal([12], filter.Removed);
    }

    [Fact]
    public void CitedAndRemovedAreListedOnceInOrderOfFirstMention()
    {
        var (_, filter) = Run(5, "a [3] b [9] c [1][3] d [9, 2] e [7]");

        Assert.Equal([3, 1, 2], filter.Cited);
        Assert.Equal([9, 7], filter.Removed);
    }
}
