// Which declarations libdmpverify.so exports. The shared library is built
// with hidden visibility, so only the C ABI (verify.h) and the C++ API
// declared between DMP_API_BEGIN and DMP_API_END in these public headers are
// in its dynamic symbol table; everything under manifest/src/ stays internal.
// The static archive ignores visibility.
#pragma once

#if defined(__GNUC__)
#define DMP_API_BEGIN _Pragma("GCC visibility push(default)")
#define DMP_API_END _Pragma("GCC visibility pop")
#else
#define DMP_API_BEGIN
#define DMP_API_END
#endif
