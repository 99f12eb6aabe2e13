using MultiModalSearch.Documents.Captions;

namespace MultiModalSearch.Tests.Documents;

public class CaptionParserTests
{
    [Theory]
    [InlineData("Figure 3: Drawing of small graph", "Figure", "3")]
    [InlineData("Fig. 3. A drawing", "Figure", "3")]
    [InlineData("FIGURE 12 — Overview", "Figure", "12")]
    [InlineData("Table 2", "Table", "2")]
    [InlineData("Table 2.1: Attributes", "Table", "2.1")]
    [InlineData("图 3 系统架构", "Figure", "3")]
    [InlineData("表 1：参数", "Table", "1")]
    [InlineData("Figure 4a: Left half", "Figure", "4a")]
    public void Numbered_captions_are_recognised(string text, string label, string number)
    {
        Assert.True(CaptionParser.TryParse(text, out string parsedLabel, out string parsedNumber));
        Assert.Equal(label, parsedLabel);
        Assert.Equal(number, parsedNumber);
    }

    [Theory]
    [InlineData("Figure 1 provides a graphical overview of the components")]
    [InlineData("Table 1 lists the graph, node and edge attributes")]
    [InlineData("Figures show many things")]
    [InlineData("Configure 3: not a caption")]
    public void References_in_running_text_are_not_captions(string text) =>
        Assert.False(CaptionParser.IsCaptionStart(text));

    [Theory]
    [InlineData("(a) Source profiles vary with object type", true)]
    [InlineData("(iv) The fourth panel", true)]
    [InlineData("(see below)", false)]
    public void Sub_captions_are_recognised(string text, bool expected) =>
        Assert.Equal(expected, CaptionParser.IsSubCaption(text));
}
