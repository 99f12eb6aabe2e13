using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Tokenization;

namespace MultiModalSearch.Core.Ingestion;

/// <summary>
/// The text embedder of passages and captions (a sentence embedder such as bge-small), with the tokenizer that sets the
/// passage budget. <see cref="Id"/> is stored with every document it embedded, so retrieval never compares vectors of two models.
/// </summary>
public sealed record DocumentTextModel(string Id, ITextEmbedder Embedder, ITextTokenizer Tokenizer);
