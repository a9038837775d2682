#!/usr/bin/env bash
# Builds the static Windows x64 libraries that extriage.exe links, from Debian's own source
# packages (with Debian's patches), at the versions of the Linux -dev packages installed here:
# re2, fmt, pugixml, yaml-cpp and libarchive (zip reading with zlib only). zlib is Debian's
# libz-mingw-w64-dev; the header-only CLI11, nlohmann-json and doctest are copied from their
# installed -dev packages. Everything goes into PREFIX (lib/, include/, lib/pkgconfig, CMake
# package files); PREFIX/debian-sources.txt, written last, lists the source packages used and
# marks the prefix complete. The work folder PREFIX.work is deleted afterwards.
#
#   scripts/build-windows-deps.sh PREFIX
# Needs the packages in scripts/debian-windows-packages.txt; -j2 (EXTRIAGE_JOBS to change).
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 PREFIX" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$(realpath -m "$1")"
work="$prefix.work"
jobs="${EXTRIAGE_JOBS:-2}"
triple=x86_64-w64-mingw32
sysroot=/usr/$triple
toolchain="$root/cmake/mingw-w64-x86_64.cmake"

log() { printf '[windeps %(%H:%M:%S)T] %s\n' -1 "$*"; }

rm -rf "$work" "$prefix"
mkdir -p "$work/apt/lists/partial" "$prefix/lib/pkgconfig" "$prefix/include"
cd "$work"

# --- Debian sources, through a private deb-src list and lists folder (the system's are untouched).
sources_list=""
for f in /etc/apt/sources.list.d/*.sources; do [[ -f "$f" ]] && sources_list+=$(sed 's/^Types: deb$/Types: deb-src/' "$f")$'\n\n'; done
printf '%s' "$sources_list" >apt/src.sources
if [[ -f /etc/apt/sources.list ]]; then sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >apt/src.list; else : >apt/src.list; fi
APT=(-o Dir::Etc::SourceList="$work/apt/src.list" -o Dir::Etc::SourceParts="$work/apt/parts"
     -o Dir::State::Lists="$work/apt/lists" -o APT::Sandbox::User=root -qq)
mkdir -p apt/parts && mv apt/src.sources apt/parts/src.sources
log "apt-get update (deb-src)"
apt-get "${APT[@]}" update

# Each library at the source version of the installed Linux -dev package: the Windows build then
# uses the same code the Linux build does. If the archive has moved on, take what it offers.
want=()
for dev in libre2-dev libfmt-dev libpugixml-dev libyaml-cpp-dev libarchive-dev; do
    want+=("$(dpkg-query -W -f='${source:Package}=${source:Version}' "$dev")")
done
log "apt-get source ${want[*]}"
for w in "${want[@]}"; do
    if ! apt-get "${APT[@]}" source --download-only "$w" >/dev/null 2>apt/source.err; then
        echo "warning: $w is no longer in the archive; using the current ${w%%=*} source" >&2
        apt-get "${APT[@]}" source --download-only "${w%%=*}" >/dev/null
    fi
done
# apt checked the .dsc files against the signed Sources index; the maintainers' own signatures
# cannot be checked without debian-keyring, hence --no-check.
for dsc in *.dsc; do dpkg-source --no-check -x "$dsc" >/dev/null; done

src_dir() { local d; d=$(find . -maxdepth 1 -type d -name "$1-*" | head -n 1); [[ -n "$d" ]] || { echo "no source folder for $1" >&2; exit 1; }; echo "$work/${d#./}"; }

cmake_lib() {   # NAME SOURCE_DIR [CMAKE ARGS...] -- builds and installs one CMake project
    local name="$1" src="$2"
    shift 2
    log "building $name"
    cmake -S "$src" -B "$work/build-$name" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
        -DWINDEPS_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
        -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib "$@" >"$work/$name-configure.log" \
        || { cat "$work/$name-configure.log" >&2; exit 1; }
    cmake --build "$work/build-$name" -j"$jobs" >"$work/$name-build.log" || { tail -n 60 "$work/$name-build.log" >&2; exit 1; }
    cmake --install "$work/build-$name" >/dev/null
}

# --- zlib: Debian's MinGW build. Copied into the prefix so that nothing finds the sysroot's
# import library (libz.dll.a): linking it makes the .exe need zlib1.dll, and libarchive's
# configure then declares zlib dllimport.
cp "$sysroot/lib/libz.a" "$prefix/lib/"
cp "$sysroot/include/zlib.h" "$sysroot/include/zconf.h" "$prefix/include/"
cat >"$prefix/lib/pkgconfig/zlib.pc" <<EOF
prefix=$prefix
Name: zlib
Description: zlib compression library (static, from libz-mingw-w64-dev)
Version: $(dpkg-query -W -f='${Version}' libz-mingw-w64-dev)
Libs: -L\${prefix}/lib -lz
Cflags: -I\${prefix}/include
EOF

# --- fmt, pugixml, yaml-cpp: plain CMake builds.
cmake_lib fmt "$(src_dir fmtlib)" -DFMT_DOC=OFF -DFMT_TEST=OFF
cmake_lib pugixml "$(src_dir pugixml)" -DPUGIXML_BUILD_TESTS=OFF
cmake_lib yaml-cpp "$(src_dir yaml-cpp)" -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF \
    -DYAML_CPP_BUILD_CONTRIB=OFF -DYAML_BUILD_SHARED_LIBS=OFF

# --- re2: the +dfsg tarball leaves out the generated Unicode tables; they are made as
# debian/rules does (REBUILD_TABLES=1), from Debian's unicode-data (debian-unicode-data.patch).
re2="$(src_dir re2)"
log "generating re2's tables"
perl "$re2/re2/make_perl_groups.pl" >"$re2/re2/perl_groups.cc"
for t in casefold groups; do python3 "$re2/re2/make_unicode_$t.py" >"$re2/re2/unicode_$t.cc"; done
cmake_lib re2 "$re2" -DRE2_BUILD_TESTING=OFF
# re2's CMake build installs no re2.pc: Debian's template (the same Cflags/Libs as on Linux).
sed -e "s|@includedir@|$prefix/include|" -e "s|@libdir@|$prefix/lib|" "$re2/re2.pc" >"$prefix/lib/pkgconfig/re2.pc"

# --- libarchive: the static library only, zip + zlib, every other format and filter off.
#  - POSIX_REGEX_LIB=NONE: its regex probe otherwise stops with "libgcc not found";
#  - only the archive_static target (the DLL would compile every source a second time);
#  - zlib given explicitly as the static libz.a (see above).
libarchive="$(src_dir libarchive)"
log "building libarchive"
off=()
for o in BZip2 LIBB2 LZ4 LZMA ZSTD LZO LIBXML2 EXPAT PCREPOSIX LIBGCC CNG MBEDTLS NETTLE OPENSSL ICONV ACL XATTR; do
    off+=("-DENABLE_$o=OFF")
done
cmake -S "$libarchive" -B "$work/build-libarchive" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DWINDEPS_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" "${off[@]}" -DENABLE_ZLIB=ON -DENABLE_TAR=OFF -DENABLE_CPIO=OFF \
    -DENABLE_CAT=OFF -DENABLE_TEST=OFF -DENABLE_INSTALL=OFF -DENABLE_WERROR=OFF -DPOSIX_REGEX_LIB=NONE \
    -DZLIB_LIBRARY="$prefix/lib/libz.a" -DZLIB_INCLUDE_DIR="$prefix/include" \
    >"$work/libarchive-configure.log" || { tail -n 60 "$work/libarchive-configure.log" >&2; exit 1; }
cmake --build "$work/build-libarchive" -j"$jobs" --target archive_static >"$work/libarchive-build.log" \
    || { tail -n 60 "$work/libarchive-build.log" >&2; exit 1; }
if grep -qE '^ZLIB_(DLL|WINAPI):[A-Z]+=1' "$work/build-libarchive/CMakeCache.txt"; then
    echo "libarchive was configured against zlib's DLL; refusing (see the comment above)" >&2
    exit 1
fi
cp "$work/build-libarchive/libarchive/libarchive_static.a" "$prefix/lib/libarchive.a"
cp "$libarchive/libarchive/archive.h" "$libarchive/libarchive/archive_entry.h" "$prefix/include/"
version="$(sed -n 's/^#define[[:space:]]*ARCHIVE_VERSION_ONLY_STRING[[:space:]]*"\(.*\)"/\1/p' "$libarchive/libarchive/archive.h")"
# Static only: consumers must not see archive.h's dllimport declarations.
cat >"$prefix/lib/pkgconfig/libarchive.pc" <<EOF
prefix=$prefix
Name: libarchive
Description: library that can create and read several streaming archive formats (static, zip + zlib)
Version: $version
Cflags: -I\${prefix}/include -DLIBARCHIVE_STATIC
Libs: -L\${prefix}/lib -larchive -lz
EOF

# --- Header-only libraries: headers and CMake package files of the installed -dev packages.
log "copying CLI11, nlohmann-json and doctest"
cp -r /usr/include/CLI /usr/include/nlohmann /usr/include/doctest "$prefix/include/"
mkdir -p "$prefix/share/cmake" "$prefix/lib/cmake"
cp -r /usr/share/cmake/CLI11 /usr/share/cmake/nlohmann_json "$prefix/share/cmake/"
cp -r /usr/lib/cmake/doctest "$prefix/lib/cmake/"
# doctest's targets file names /usr; make it relative to its own location as the others are.
sed -i 's|^set(_IMPORT_PREFIX "/usr")|get_filename_component(_IMPORT_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)|' \
    "$prefix/lib/cmake/doctest/doctestTargets.cmake"
grep -q '"/usr"' "$prefix/lib/cmake/doctest/doctestTargets.cmake" && { echo "doctest's CMake files still name /usr" >&2; exit 1; }

# --- Every .pc file names its prefix through ${pcfiledir}, never as an absolute path: the cache
# key does not include the folder, so a prefix built in one place and copied or moved to another
# (a CI cache restored elsewhere) must still point at itself. With the build folder's absolute
# path, a moved prefix's `-L` pointed nowhere, CMake's pkg_check_modules then searched its
# default paths for `-lz` and took the sysroot's import library libz.dll.a (CMake on MinGW
# prefers .dll.a to .a), and extriage.exe imported zlib1.dll.
for pc in "$prefix"/lib/pkgconfig/*.pc; do
    sed -i -e "s|$prefix|\${pcfiledir}/../..|g" "$pc"
done
if grep -l "$prefix" "$prefix"/lib/pkgconfig/*.pc; then
    echo "the .pc files above still name $prefix" >&2
    exit 1
fi

# Done: the marker the cache check looks for.
ls "$work"/*.dsc | xargs -n1 basename >"$prefix/debian-sources.txt"
cd /
rm -rf "$work"
log "dependencies ready in $prefix"
