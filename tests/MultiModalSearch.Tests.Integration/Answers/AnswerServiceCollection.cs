namespace MultiModalSearch.Tests.Answers;

/// <summary>The answer tests share one database and one running service with the tiny model.</summary>
[CollectionDefinition(Name)]
public sealed class AnswerServiceCollection : ICollectionFixture<AnswerServiceFixture>
{
    public const string Name = "answers";
}
