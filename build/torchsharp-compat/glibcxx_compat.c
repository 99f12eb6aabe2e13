/* libstdc++ from GCC 13 adds std::ios_base_library_init(), which every translation unit that includes
 * <iostream> references so that the library initialises the standard streams. Older libstdc++ (GCC 12,
 * Debian 12) initialises them unconditionally, so an empty definition is the correct stand-in there. */
void _ZSt21ios_base_library_initv(void) {}
