namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary><c>{% break %}</c> or <c>{% continue %}</c> unwinding to the innermost for loop.</summary>
internal sealed class JinjaLoopSignal(bool isBreak) : Exception(isBreak ? "break" : "continue")
{
    public bool IsBreak { get; } = isBreak;
}
