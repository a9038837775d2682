# CMake toolchain for a static Windows x64 build with Debian's MinGW-w64 GCC (posix threads:
# GCC 12's win32-thread variant has no std::thread). The libraries come from WINDEPS_PREFIX,
# built by scripts/build-windows-deps.sh; tests run the .exe through wine (scripts/wine-run.sh).
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake -DWINDEPS_PREFIX=...
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(_triple x86_64-w64-mingw32)

set(CMAKE_C_COMPILER ${_triple}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_triple}-g++-posix)
set(CMAKE_RC_COMPILER ${_triple}-windres)
# gcc-ar/gcc-ranlib are the posix variant's own (plain ar would do as well: no LTO here).
set(CMAKE_AR ${_triple}-gcc-ar-posix CACHE FILEPATH "")
set(CMAKE_RANLIB ${_triple}-gcc-ranlib-posix CACHE FILEPATH "")

if(NOT WINDEPS_PREFIX AND DEFINED ENV{WINDEPS_PREFIX})
  set(WINDEPS_PREFIX "$ENV{WINDEPS_PREFIX}")
endif()
# try_compile projects re-read this file: pass the prefix on to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES WINDEPS_PREFIX)

set(CMAKE_FIND_ROOT_PATH /usr/${_triple} ${WINDEPS_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must see the prefix's .pc files only, never the host's.
if(WINDEPS_PREFIX)
  set(ENV{PKG_CONFIG_LIBDIR} "${WINDEPS_PREFIX}/lib/pkgconfig:${WINDEPS_PREFIX}/share/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
endif()

# One .exe with no DLLs beside it: libstdc++, libgcc, winpthreads and the libraries linked in.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# ctest and doctest's test discovery run the .exe files through wine.
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../scripts/wine-run.sh)
