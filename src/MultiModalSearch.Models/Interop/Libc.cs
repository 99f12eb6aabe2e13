using System.Runtime.InteropServices;

namespace MultiModalSearch.Models.Interop;

/// <summary>C library functions that .NET does not wrap, looked up at run time so that other platforms go without.</summary>
internal static class Libc
{
    private static readonly nint Handle = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var handle) ? handle : 0;

    /// <summary>The address of <paramref name="name"/> in libc.so.6, or 0 off Linux or where it is missing.</summary>
    public static nint Export(string name) =>
        Handle != 0 && NativeLibrary.TryGetExport(Handle, name, out var address) ? address : 0;
}
