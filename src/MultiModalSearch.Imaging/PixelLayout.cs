namespace MultiModalSearch.Imaging;

/// <summary>Interleaved 8-bit layouts that mirror the Pillow modes the reference resizes in.</summary>
internal enum PixelLayout
{
    /// <summary>Pillow 'L'.</summary>
    Grey = 1,

    /// <summary>Pillow 'LA': resized premultiplied ('La').</summary>
    GreyAlpha = 2,

    /// <summary>Pillow 'RGB'.</summary>
    Rgb = 3,

    /// <summary>Pillow 'RGBA': resized premultiplied ('RGBa'), alpha dropped afterwards.</summary>
    Rgba = 4,

    /// <summary>Pillow 'CMYK' (ink values, 0 = no ink): resized as is, then the naive CMYK->RGB formula.</summary>
    Cmyk = 5,
}
