#!/usr/bin/env bash
# Builds extriage.exe for Windows x64 on Debian: a static MinGW-w64 cross build (posix threads)
# with the libraries built from Debian's source packages, runs the whole test suite under wine,
# and packages BUILD_DIR/extriage-<version>-win-x64.zip with its .sha256 file.
#
#   scripts/build-windows.sh [--compare-with LINUX_EXTRIAGE] [BUILD_DIR]      (default: build-win)
#
#   --compare-with EXE   also check that the Windows build's JSON equals EXE's (a Linux build)
#                        for every sample and corpus log (scripts/compare-windows-linux.sh), and
#                        that EXE reads the zip extriage.exe collect writes under wine
#                        (scripts/smoke-collect-windows.sh)
# Environment:
#   WINDEPS_CACHE        where built dependencies are kept, one folder per set of Debian versions
#                        (default: ~/.cache/extriage-windeps); a warm cache skips their build
#   EXTRIAGE_JOBS        parallel jobs (default 2)
#   EXTRIAGE_NO_APT=1    do not apt-get install the packages (they are known to be there)
#   EXTRIAGE_NO_TESTS=1  build and package only
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
compare_with=""
if [[ "${1:-}" == "--compare-with" ]]; then
    compare_with="$(realpath "${2:?--compare-with needs the Linux extriage}")"
    shift 2
fi
build="$(realpath -m "${1:-build-win}")"
jobs="${EXTRIAGE_JOBS:-2}"
cache="${WINDEPS_CACHE:-$HOME/.cache/extriage-windeps}"
started=$SECONDS

log() { printf '[build-windows %(%H:%M:%S)T +%ss] %s\n' -1 $((SECONDS - started)) "$*"; }

# 1. Packages: the MinGW-w64 toolchain, wine, and what the dependency build needs, next to the
#    Linux build's packages (whose -dev versions pick the Debian sources and give the headers).
packages=$(cat "$root/scripts/debian-packages.txt" "$root/scripts/debian-windows-packages.txt")
if [[ "${EXTRIAGE_NO_APT:-}" != 1 ]]; then
    # shellcheck disable=SC2086  # one package a word
    if ! dpkg-query -W $packages >/dev/null 2>&1; then
        log "installing packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends $packages >/dev/null
    fi
fi

# 2. Dependencies, cached by the Debian versions they are built from and with, and the recipe.
key_input="$(dpkg-query -W libre2-dev libfmt-dev libpugixml-dev libyaml-cpp-dev libarchive-dev libcli11-dev \
                 nlohmann-json3-dev doctest-dev g++-mingw-w64-x86-64-posix mingw-w64-x86-64-dev \
                 libz-mingw-w64-dev unicode-data)
$(sha256sum "$root/scripts/build-windows-deps.sh" "$root/cmake/mingw-w64-x86_64.cmake" | cut -d' ' -f1)"
key="$(sha256sum <<<"$key_input" | cut -c1-16)"
prefix="$cache/$key"
mkdir -p "$cache"
(
    # One build of a given set at a time; a second run waits and then finds it done.
    flock 9
    if [[ -f "$prefix/debian-sources.txt" ]]; then
        log "dependencies: cached in $prefix"
    else
        log "dependencies: building into $prefix"
        bash "$root/scripts/build-windows-deps.sh" "$prefix"
    fi
) 9>"$cache/.lock"

# 3. Configure, build, test.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
log "configuring $build"
# --fresh: a kept build folder's CMakeCache.txt holds the libraries found for the prefix it was
# first configured with (pkg_check_modules caches each one's path): after a cache key change, or
# with a prefix whose .pc files pointed elsewhere, it would go on linking those.
cmake --fresh -S "$root" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake" \
    -DWINDEPS_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release -DEXTRIAGE_WARNINGS_AS_ERRORS=ON "${launcher[@]}" >/dev/null
log "building"
cmake --build "$build" -j"$jobs"
exe="$build/src/app/extriage.exe"
# One .exe that needs nothing but Windows' own DLLs.
imports="$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\tDLL Name: //p' | tr '[:upper:]' '[:lower:]' | sort -u | tr '\n' ' ')"
for dll in $imports; do
    case "$dll" in
        kernel32.dll | advapi32.dll | shell32.dll | msvcrt.dll | user32.dll | bcrypt.dll | msi.dll | version.dll | wevtapi.dll) ;;
        *) echo "extriage.exe imports $dll, which Windows does not have: the build is not self-contained" >&2; exit 1 ;;
    esac
done
log "extriage.exe imports only: $imports"
# Its application manifest (long paths) and version resource are linked in.
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
narrow="$(strings -a "$exe")"
wide="$(strings -a -el "$exe")"   # the version resource is UTF-16
grep -q '<ws2:longPathAware>true</ws2:longPathAware>' <<<"$narrow" \
    || { echo "extriage.exe has no application manifest" >&2; exit 1; }
grep -qx "$version" <<<"$wide" && grep -qx 'OriginalFilename' <<<"$wide" \
    || { echo "extriage.exe has no version resource for $version" >&2; exit 1; }

if [[ "${EXTRIAGE_NO_TESTS:-}" != 1 ]]; then
    log "running the tests under wine"
    ctest --test-dir "$build" --output-on-failure -j"$jobs"
    if [[ -n "$compare_with" ]]; then
        log "comparing with the Linux build $compare_with"
        bash "$root/scripts/compare-windows-linux.sh" "$compare_with" "$root/scripts/wine-run.sh $exe"
        log "collect and check under wine, the zip read by the Linux build"
        bash "$root/scripts/smoke-collect-windows.sh" "$compare_with" "$exe" "$build/smoke-collect"
    fi
fi

# 4. Package: the stripped executable (it carries the rules and data) and the README.
name="extriage-$version-win-x64"
stage="$build/package/$name"
rm -rf "$build/package"
mkdir -p "$stage"
x86_64-w64-mingw32-strip -o "$stage/extriage.exe" "$exe"
cp "$root/README.md" "$stage/README.md"
# The commit's date as every entry's time: the same tree gives the same zip.
stamp="$(TZ=UTC git -C "$root" log -1 --date=format-local:'%Y-%m-%d %H:%M:%S' --format=%cd 2>/dev/null ||
         date -u '+%Y-%m-%d %H:%M:%S') UTC"
(cd "$stage" && cmake -E tar cf "$build/$name.zip" --format=zip --mtime="$stamp" extriage.exe README.md)
(cd "$build" && sha256sum "$name.zip" >"$name.zip.sha256")
log "packaged $build/$name.zip ($(stat -c %s "$build/$name.zip") bytes): $(cut -d' ' -f1 "$build/$name.zip.sha256")"
