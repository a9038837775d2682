#!/usr/bin/env python3
"""Writes data/error-codes.tsv, the table extriage decodes Windows error codes with.

The table is derived from public sources; nothing in it is typed by hand except the few LDAP
meanings listed in LDAP_EXTRA (RFC 4511 names them, Microsoft's ADSI table does not describe them).

Inputs (paths given on the command line):
  --mingw   mingw-w64 headers: usr/share/mingw-w64/include of Debian's mingw-w64-common package
            (`apt-get download mingw-w64-common && dpkg -x mingw-w64-common_*.deb x`):
            winerror.h (Win32 names), ntstatus.h (NTSTATUS names), winldap.h (LDAP_RETCODE).
  --msdocs  desktop-src/ of a checkout of github.com/MicrosoftDocs/win32 (the source of
            learn.microsoft.com/windows/win32): Debug/system-error-codes--*.md (Win32 names, codes,
            messages), com/com-error-codes-1..4.md (HRESULTs: generic, XACT/SCHED/OLE, STG/RPC,
            security and setup), Msi/windows-installer-error-messages.md (Windows Installer
            messages 1101-3xxx), ADSI/win32-error-codes.md (meanings of LDAP result codes).
  --wine    the source tree of Debian's wine package (`apt-get source wine`), for
            dlls/ntdll/error.h: the NTSTATUS -> Win32 mapping of RtlNtStatusToDosError. An
            NTSTATUS value gets the message of the Win32 code it maps to.
  --corerror  corerror.xml of the .NET runtime (github.com/dotnet/runtime src/coreclr/inc/), the
            source of corerror.h: the CLR's HRESULTs (0x8013xxxx, e.g. FUSION_E_REF_DEF_MISMATCH
            0x80131040 in "Could not load file or assembly" errors), with their message texts.

Usage: scripts/gen_error_codes.py --mingw DIR --msdocs DIR --wine DIR --corerror FILE > data/error-codes.tsv
"""

import argparse
import glob
import html
import os
import re
import sys

# HRESULT pages kept: the facilities Exchange setup and Windows servicing report. Pages 5-10
# (COM+ admin, graphics, TPM, BitLocker, Hyper-V, Bluetooth, DirectX ...) are left out to keep
# the table small.
COM_PAGES = ["com-error-codes-1.md", "com-error-codes-2.md", "com-error-codes-3.md", "com-error-codes-4.md"]

# LDAP result codes in winldap.h whose meaning the ADSI table does not give (RFC 4511 section
# 4.1.9 and appendix A; RFC 2891 for sorting; the VLV draft for 0x4c).
LDAP_EXTRA = {
    "LDAP_SASL_BIND_IN_PROGRESS": "The server needs another bind request to continue SASL authentication.",
    "LDAP_SORT_CONTROL_MISSING": "The server requires a sort control for this request.",
    "LDAP_OFFSET_RANGE_ERROR": "The offset of the virtual list view request is out of range.",
    "LDAP_VIRTUAL_LIST_VIEW_ERROR": "The virtual list view request failed.",
}


def md_text(s):
    """Markdown of the docs to plain text: links, emphasis, escapes, <br/> and spacing."""
    s = re.sub(r"<br\s*/?>", " ", s)
    s = re.sub(r"</?(?:dl|dt|dd|p|span)[^>]*>", " ", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = s.replace("**", "")
    s = re.sub(r"\\([\\`*_{}\[\]()<>#+.!|-])", r"\1", s)   # markdown escapes
    s = re.sub(r"(?<![\w\[])_([^_]+)_(?!\w)", r"\1", s)
    s = html.unescape(s).replace("\t", " ")
    return re.sub(r"\s+", " ", s).strip()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def win32_from_docs(msdocs):
    """{code: (name, message)} from the System Error Codes pages."""
    out = {}
    entry = re.compile(
        r"\*\*(?P<name>[A-Z0-9][A-Za-z0-9\\_]*)\*\*\s*\n(?:\s*\n)*\s*(?P<code>\d+) \(0x[0-9A-Fa-f]+\)\s*\n(?P<body>.*?)(?=<span id=|^#|\Z)",
        re.S | re.M)
    for path in sorted(glob.glob(os.path.join(msdocs, "Debug", "system-error-codes--*.md"))):
        for m in entry.finditer(read(path)):
            code = int(m.group("code"))
            name = m.group("name").replace("\\_", "_")
            message = md_text(m.group("body"))
            out.setdefault(code, (name, message))
    return out


def hresults_from_docs(msdocs):
    """{value: (name, message)} from the COM error code pages (two layouts: tables and lists)."""
    out = {}
    table_row = re.compile(r"\*\*(?P<name>[A-Z0-9][A-Za-z0-9\\_]*)\*\*</dt>\s*<dt>(?P<code>0x[0-9A-Fa-f]{8})</dt>\s*</dl>\s*\|(?P<msg>[^|\n]*)\|")
    list_item = re.compile(
        r"\*\*(?P<name>[A-Z0-9][A-Za-z0-9\\_]*)\*\*\s*</dt>\s*<dd>\s*<dl>\s*<dt>\s*(?P<code>0x[0-9A-Fa-f]{8})\s*</dt>\s*<dt>(?P<msg>.*?)</dt>",
        re.S)
    for page in COM_PAGES:
        text = read(os.path.join(msdocs, "com", page))
        for rx in (table_row, list_item):
            for m in rx.finditer(text):
                value = int(m.group("code"), 16)
                out.setdefault(value, (m.group("name").replace("\\_", "_"), md_text(m.group("msg"))))
    return out


def msi_messages_from_docs(msdocs):
    """{code: message} from Windows Installer Error Messages (the first row of a repeated code)."""
    out = {}
    row = re.compile(r"^\|\s*(?P<code>\d{4})<br/>\s*\|(?P<msg>[^|]*)\|", re.M)
    for m in row.finditer(read(os.path.join(msdocs, "Msi", "windows-installer-error-messages.md"))):
        out.setdefault(int(m.group("code")), md_text(m.group("msg")))
    return out


def ldap_meanings_from_docs(msdocs):
    """{LDAP_NAME: description} from ADSI's Win32 Error Codes table."""
    out = {}
    row = re.compile(r"^\|\s*(?:0x[0-9A-Fa-f]+|\d+)L?\s*\|\s*\*\*(?P<name>LDAP[A-Z\\_]+)\*\*\s*\|[^|]*\|(?P<msg>[^|]*)\|", re.M)
    for m in row.finditer(read(os.path.join(msdocs, "ADSI", "win32-error-codes.md"))):
        out.setdefault(m.group("name").replace("\\_", "_"), md_text(m.group("msg")))
    return out


def win32_names_from_mingw(mingw):
    out = {}
    for m in re.finditer(r"^#define\s+((?:ERROR|WSA[A-Z]*|RPC_[SX]|EPT_S|OR|DNS|WAIT|EVENT|SCHED|APPMODEL|STORE|NO)_?\w*)\s+(?:__MSABI_LONG\((\d+)\)|(\d+)L?)\s*$",
                         read(os.path.join(mingw, "winerror.h")), re.M):
        code = int(m.group(2) or m.group(3))
        if code > 0xFFFF:
            continue
        out.setdefault(code, m.group(1))
    return out


def ntstatus_from_mingw(mingw):
    out = {}
    for m in re.finditer(r"^#define\s+(\w+)\s+\(\(NTSTATUS\)(0x[0-9A-Fa-f]{8})L?\)", read(os.path.join(mingw, "ntstatus.h")), re.M):
        value = int(m.group(2), 16)
        if value >= 0xC0000000:   # errors only: warnings (0x8...) are too often just flag values
            out.setdefault(value, m.group(1))
    return out


def ldap_codes_from_mingw(mingw):
    text = read(os.path.join(mingw, "winldap.h"))
    enum = re.search(r"typedef enum\s*\{(.*?)\}\s*LDAP_RETCODE", text, re.S)
    out = {}
    for m in re.finditer(r"(LDAP_\w+)\s*=\s*(0x[0-9A-Fa-f]+|\d+)", enum.group(1)):
        out.setdefault(int(m.group(2), 0), []).append(m.group(1))
    return out


def ntstatus_to_win32_from_wine(wine):
    """{NTSTATUS value: Win32 error name} from Wine's generated RtlNtStatusToDosError table."""
    out = {}
    for m in re.finditer(r"^\s*(\w+),?\s*/\* ([0-9a-f]{8}) \((\w+)\)", read(os.path.join(wine, "dlls", "ntdll", "error.h")), re.M):
        if m.group(1) != "ERROR_MR_MID_NOT_FOUND":
            out[int(m.group(2), 16)] = m.group(1)
    return out


def clr_hresults(path):
    """{value: (name, message)} for the failure HRESULTs of corerror.xml."""
    out = {}
    for m in re.finditer(r'<HRESULT NumericValue="(0x[0-9A-Fa-f]{8})">\s*<SymbolicName>(\w+)</SymbolicName>(.*?)</HRESULT>', read(path), re.S):
        value = int(m.group(1), 16)
        if not value & 0x80000000:
            continue
        msg = re.search(r"<Message>\s*\"?(.*?)\"?\s*</Message>", m.group(3), re.S)
        out.setdefault(value, (m.group(2), html.unescape(msg.group(1)) if msg else ""))
    return out


def clean(s):
    return s.replace("\t", " ").replace("\n", " ").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mingw", required=True)
    ap.add_argument("--msdocs", required=True)
    ap.add_argument("--wine", required=True)
    ap.add_argument("--corerror", required=True)
    ap.add_argument("--corerror-origin", default="", help="where corerror.xml was taken from, for the header")
    ap.add_argument("--msdocs-commit", default="", help="commit of the MicrosoftDocs/win32 checkout, for the header")
    ap.add_argument("--mingw-version", default="", help="mingw-w64-common package version, for the header")
    ap.add_argument("--wine-version", default="", help="wine source package version, for the header")
    args = ap.parse_args()

    win32 = win32_from_docs(args.msdocs)
    for code, name in win32_names_from_mingw(args.mingw).items():
        win32.setdefault(code, (name, ""))
    win32_by_name = {name: (code, msg) for code, (name, msg) in win32.items()}

    hresults = {v: nm for v, nm in hresults_from_docs(args.msdocs).items()
                if (v >> 16) != 0x8007}   # FACILITY_WIN32 values decode through the Win32 rows
    for value, nm in clr_hresults(args.corerror).items():
        hresults.setdefault(value, nm)

    nt_map = ntstatus_to_win32_from_wine(args.wine)
    ntstatus = {}
    for value, name in ntstatus_from_mingw(args.mingw).items():
        mapped = nt_map.get(value)
        message = win32_by_name[mapped][1] if mapped in win32_by_name else ""
        ntstatus[value] = (name, message, mapped or "")

    ldap_meaning = ldap_meanings_from_docs(args.msdocs)
    ldap = {}
    for code, names in ldap_codes_from_mingw(args.mingw).items():
        # 9 has two names (LDAP_REFERRAL_V2, LDAP_PARTIAL_RESULTS): keep the one Microsoft describes.
        name = next((n for n in names if n in ldap_meaning), names[0])
        ldap[code] = (name, ldap_meaning.get(name) or LDAP_EXTRA.get(name, ""))

    msi = msi_messages_from_docs(args.msdocs)

    out = sys.stdout
    out.write(
        "# Windows error codes: symbolic names and meanings, for decoding codes in findings.\n"
        "# GENERATED by scripts/gen_error_codes.py; do not edit by hand, run the script again.\n"
        "#\n"
        "# SOURCES\n"
        "#   win32     Microsoft Learn 'System Error Codes (0-499)' ... '(12000-15999)' (WinError.h), from\n"
        "#             github.com/MicrosoftDocs/win32 desktop-src/Debug/system-error-codes--*.md{0};\n"
        "#             names of codes those pages omit: mingw-w64 winerror.h (Debian mingw-w64-common{1}).\n"
        "#   hresult   Microsoft Learn 'COM Error Codes' (Generic; XACT, SCHED, OLE; STG, RPC; Security and\n"
        "#             Setup), desktop-src/com/com-error-codes-1..4.md. 0x8007xxxx (FACILITY_WIN32) values are\n"
        "#             not listed: they decode as Win32 code xxxx. .NET runtime HRESULTs (0x8013xxxx) and their\n"
        "#             messages: github.com/dotnet/runtime src/coreclr/inc/corerror.xml{3}.\n"
        "#   ntstatus  error severity (0xC...) names: mingw-w64 ntstatus.h (from Microsoft's [MS-ERREF]);\n"
        "#             meaning: the message of the Win32 code RtlNtStatusToDosError maps it to, per Wine's\n"
        "#             dlls/ntdll/error.h (Debian source package wine{2}); the `win32` column names that code.\n"
        "#   ldap      LDAP_RETCODE of mingw-w64 winldap.h (result codes of RFC 4511 plus Microsoft's client\n"
        "#             codes); meanings from Microsoft Learn 'Win32 Error Codes' (ADSI, desktop-src/ADSI/\n"
        "#             win32-error-codes.md), the rest summarised from RFC 4511 / RFC 2891.\n"
        "#   msi       Microsoft Learn 'Windows Installer Error Messages' (desktop-src/Msi/\n"
        "#             windows-installer-error-messages.md): message texts of codes 1101-3xxx, [n] = field n.\n"
        "#             The MsiExec.exe return codes (1601-1669, 3010 ...) are Win32 codes: see the win32 rows.\n"
        "#\n"
        "# Columns: kind, code (decimal for win32/ldap/msi, 0x + 8 hex digits for hresult/ntstatus),\n"
        "# name (symbolic name, empty for msi messages), win32 (ntstatus only: the mapped Win32 name),\n"
        "# meaning (Microsoft's message text; may be empty).\n"
        .format(f" @ {args.msdocs_commit}" if args.msdocs_commit else "",
                f" {args.mingw_version}" if args.mingw_version else "",
                f" {args.wine_version}" if args.wine_version else "",
                f" ({args.corerror_origin})" if args.corerror_origin else ""))
    out.write("kind\tcode\tname\twin32\tmeaning\n")
    for code in sorted(win32):
        name, msg = win32[code]
        out.write(f"win32\t{code}\t{name}\t\t{clean(msg)}\n")
    for value in sorted(hresults):
        name, msg = hresults[value]
        out.write(f"hresult\t0x{value:08X}\t{name}\t\t{clean(msg)}\n")
    for value in sorted(ntstatus):
        name, msg, mapped = ntstatus[value]
        out.write(f"ntstatus\t0x{value:08X}\t{name}\t{mapped}\t{clean(msg)}\n")
    for code in sorted(ldap):
        name, msg = ldap[code]
        out.write(f"ldap\t{code}\t{name}\t\t{clean(msg)}\n")
    for code in sorted(msi):
        out.write(f"msi\t{code}\t\t\t{clean(msi[code])}\n")


if __name__ == "__main__":
    main()
