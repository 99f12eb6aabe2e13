namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>
/// The parts of a SentencePiece <c>.model</c> file (a serialized ModelProto) that encoding and decoding depend on: the
/// pieces with their scores and types, the trainer's model type, byte fallback and special ids, and the normalizer.
/// </summary>
public sealed record SentencePieceModelFile
{
    public const int UnigramModel = 1;
    public const int BpeModel = 2;

    public required IReadOnlyList<SentencePiecePiece> Pieces { get; init; }

    /// <summary>1 unigram, 2 BPE, 3 word, 4 char (TrainerSpec.model_type; unigram when absent).</summary>
    public int ModelType { get; init; } = UnigramModel;

    /// <summary>Characters outside the vocabulary become their UTF-8 bytes' pieces instead of the unknown piece.</summary>
    public bool ByteFallback { get; init; }

    public bool TreatWhitespaceAsSuffix { get; init; }

    public int UnknownId { get; init; }

    public int BosId { get; init; } = 1;

    public int EosId { get; init; } = 2;

    public int PadId { get; init; } = -1;

    public string UnknownSurface { get; init; } = " \u2047 ";

    /// <summary>Normalization rule name; only "identity" (Llama) is reproduced here.</summary>
    public string NormalizerName { get; init; } = "";

    /// <summary>A precompiled character map (NFKC and friends) is present.</summary>
    public bool HasCharacterMap { get; init; }

    public bool AddDummyPrefix { get; init; } = true;

    public bool RemoveExtraWhitespaces { get; init; } = true;

    public bool EscapeWhitespaces { get; init; } = true;

    public static SentencePieceModelFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"SentencePiece model not found: {path}", path);
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    public static SentencePieceModelFile Parse(ReadOnlySpan<byte> bytes, string source = "tokenizer.model")
    {
        var reader = new ProtobufReader(bytes, source);
        var pieces = new List<SentencePiecePiece>();
        var model = new SentencePieceModelFile { Pieces = pieces };
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2:
                    pieces.Add(ReadPiece(new ProtobufReader(reader.ReadBytes(), source)));
                    break;
                case 2 when wire == 2:
                    model = ReadTrainerSpec(new ProtobufReader(reader.ReadBytes(), source), model);
                    break;
                case 3 when wire == 2:
                    model = ReadNormalizerSpec(new ProtobufReader(reader.ReadBytes(), source), model);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (pieces.Count == 0)
        {
            throw new InvalidDataException($"{source} is not a SentencePiece model: it has no pieces");
        }

        return model;
    }

    private static SentencePiecePiece ReadPiece(ProtobufReader reader)
    {
        string piece = "";
        float score = 0;
        var type = SentencePieceType.Normal;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field)
            {
                case 1 when wire == 2:
                    piece = reader.ReadString();
                    break;
                case 2 when wire == 5:
                    score = reader.ReadFloat();
                    break;
                case 3 when wire == 0:
                    type = (SentencePieceType)reader.ReadInt32();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new SentencePiecePiece(piece, score, type);
    }

    private static SentencePieceModelFile ReadTrainerSpec(ProtobufReader reader, SentencePieceModelFile model)
    {
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            model = (field, wire) switch
            {
                (3, 0) => model with { ModelType = reader.ReadInt32() },
                (24, 0) => model with { TreatWhitespaceAsSuffix = reader.ReadBool() },
                (35, 0) => model with { ByteFallback = reader.ReadBool() },
                (40, 0) => model with { UnknownId = reader.ReadInt32() },
                (41, 0) => model with { BosId = reader.ReadInt32() },
                (42, 0) => model with { EosId = reader.ReadInt32() },
                (43, 0) => model with { PadId = reader.ReadInt32() },
                (44, 2) => model with { UnknownSurface = reader.ReadString() },
                _ => SkipField(ref reader, wire, model),
            };
        }

        return model;
    }

    private static SentencePieceModelFile ReadNormalizerSpec(ProtobufReader reader, SentencePieceModelFile model)
    {
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            model = (field, wire) switch
            {
                (1, 2) => model with { NormalizerName = reader.ReadString() },
                (2, 2) => model with { HasCharacterMap = reader.ReadBytes().Length > 0 },
                (3, 0) => model with { AddDummyPrefix = reader.ReadBool() },
                (4, 0) => model with { RemoveExtraWhitespaces = reader.ReadBool() },
                (5, 0) => model with { EscapeWhitespaces = reader.ReadBool() },
                _ => SkipField(ref reader, wire, model),
            };
        }

        return model;
    }

    private static SentencePieceModelFile SkipField(ref ProtobufReader reader, int wire, SentencePieceModelFile model)
    {
        reader.Skip(wire);
        return model;
    }
}
