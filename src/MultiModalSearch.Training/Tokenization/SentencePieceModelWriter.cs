using MultiModalSearch.Models.Tokenization.SentencePiece;

namespace MultiModalSearch.Training.Tokenization;

/// <summary>
/// Writes a <see cref="SentencePieceModelFile"/> as a SentencePiece <c>.model</c> file (a serialized ModelProto, field
/// numbers from sentencepiece_model.proto): the pieces, the trainer settings encoding depends on (model type, byte
/// fallback, special ids) and the normalizer (identity rule, dummy prefix, whitespace handling). The SentencePiece
/// library and Hugging Face's LlamaTokenizer read the result like any Llama tokenizer.model.
/// </summary>
public static class SentencePieceModelWriter
{
    public static void Write(SentencePieceModelFile model, string path) => File.WriteAllBytes(path, Serialize(model));

    public static byte[] Serialize(SentencePieceModelFile model)
    {
        var root = new ProtobufWriter();
        foreach (var piece in model.Pieces)
        {
            var entry = new ProtobufWriter();
            entry.WriteString(1, piece.Piece);
            entry.WriteFloat(2, piece.Score);
            entry.WriteInt32(3, (int)piece.Type);
            root.WriteMessage(1, entry);
        }

        root.WriteMessage(2, TrainerSpec(model));
        root.WriteMessage(3, NormalizerSpec(model));
        return root.ToArray();
    }

    private static ProtobufWriter TrainerSpec(SentencePieceModelFile model)
    {
        var spec = new ProtobufWriter();
        spec.WriteInt32(3, model.ModelType);
        spec.WriteInt32(4, model.Pieces.Count);
        spec.WriteBool(24, model.TreatWhitespaceAsSuffix);
        spec.WriteBool(35, model.ByteFallback);
        spec.WriteInt32(40, model.UnknownId);
        spec.WriteInt32(41, model.BosId);
        spec.WriteInt32(42, model.EosId);
        spec.WriteInt32(43, model.PadId);
        spec.WriteString(44, model.UnknownSurface);
        return spec;
    }

    private static ProtobufWriter NormalizerSpec(SentencePieceModelFile model)
    {
        var spec = new ProtobufWriter();
        spec.WriteString(1, model.NormalizerName);
        spec.WriteBool(3, model.AddDummyPrefix);
        spec.WriteBool(4, model.RemoveExtraWhitespaces);
        spec.WriteBool(5, model.EscapeWhitespaces);
        return spec;
    }
}
