#!/bin/sh
# pinscan tui on a synthetic 6.1 dump from mkvmcore (every kind of page and
# pin the era has, sections with a hole): the same walk as real-6.1, with
# NO_COLOR set, which must leave the screen without colours.
. "$(dirname "$0")/lib.sh"
dir=$(synth_fixture 6.1) || exit $?
tui_checks "$dir" "$dir/vmcore" nocolor
echo "PASS"
