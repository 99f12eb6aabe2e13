using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace MultiModalSearch.Core.Inspection;

/// <summary>Decimal-degree position from the EXIF GPS IFD.</summary>
internal readonly record struct GpsPosition(double Latitude, double Longitude)
{
    /// <summary>
    /// Null when either coordinate is missing, unparsable or out of range, and for 0,0 without
    /// hemisphere refs: that is what cameras without a fix write, not a spot in the Gulf of Guinea.
    /// </summary>
    public static GpsPosition? Read(GpsDirectory gps)
    {
        double? lat = Coordinate(gps, GpsDirectory.TagLatitude, GpsDirectory.TagLatitudeRef, 'S', out bool latRef);
        double? lon = Coordinate(gps, GpsDirectory.TagLongitude, GpsDirectory.TagLongitudeRef, 'W', out bool lonRef);
        if (lat is not double la || lon is not double lo)
            return null;
        if (Math.Abs(la) > 90 || Math.Abs(lo) > 180)
            return null;
        if (la == 0 && lo == 0 && !latRef && !lonRef)
            return null;
        return new GpsPosition(la, lo);
    }

    private static double? Coordinate(GpsDirectory gps, int valueTag, int refTag, char negativeRef, out bool hasRef)
    {
        string? reference = MetadataText.TrimToNull(gps.GetString(refTag));
        hasRef = reference is not null;
        double? magnitude = DegreesOf(gps.GetRationalArray(valueTag));
        if (magnitude is not double value)
            return null;
        if (!hasRef)
            return value;
        return char.ToUpperInvariant(reference![0]) == negativeRef ? -Math.Abs(value) : Math.Abs(value);
    }

    /// <summary>Degrees, minutes, seconds; writers sometimes store fewer parts (e.g. decimal minutes).</summary>
    private static double? DegreesOf(Rational[]? parts)
    {
        if (parts is null || parts.Length == 0)
            return null;
        double total = 0, scale = 1;
        for (int i = 0; i < Math.Min(parts.Length, 3); i++)
        {
            // 0/0 is how some writers leave seconds unset; any other x/0 is corrupt.
            if (parts[i].Denominator == 0 && parts[i].Numerator != 0)
                return null;
            total += (parts[i].Numerator == 0 ? 0 : parts[i].ToDouble()) / scale;
            scale *= 60;
        }
        return double.IsFinite(total) ? total : null;
    }
}
