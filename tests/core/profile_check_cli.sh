#!/bin/sh
# Runs `mailsetup [--lang L] profile check FILE` and checks the exact exit
# code and that the output holds a string (a helpdesk code and JSON path).
# usage: profile_check_cli.sh MAILSETUP LANG FILE WANT_RC WANT_TEXT
set -u
exe=$1 lang=$2 file=$3 want_rc=$4 want_text=$5
out=$("$exe" --lang "$lang" profile check "$file" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne "$want_rc" ]; then
    echo "FAIL: exit code $rc, want $want_rc" >&2
    exit 1
fi
case $out in
*"$want_text"*) ;;
*) echo "FAIL: output lacks: $want_text" >&2; exit 1 ;;
esac
exit 0
