namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>A piece's role (sentencepiece_model.proto, ModelProto.SentencePiece.Type).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,

    /// <summary>One of the 256 byte-fallback pieces <c>&lt;0x00&gt;</c> .. <c>&lt;0xFF&gt;</c>.</summary>
    Byte = 6,
}
