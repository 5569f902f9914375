#!/bin/sh
# check_man_pages.sh DIR: every built man page (DIR/*.[0-9]) renders with groff -ww and man -l
# without a single warning, and the three pages issue 8 requires are there.
set -eu
dir=$1
status=0
for page in claimauditd.8 claimctl.1 claimaudit-rules.5; do
  [ -f "$dir/$page" ] || { echo "missing $dir/$page"; status=1; }
done
for page in "$dir"/*.[0-9]; do
  warnings=$(LC_ALL=C.UTF-8 groff -ww -man -z "$page" 2>&1 || echo "groff failed")
  if [ -n "$warnings" ]; then echo "$page: $warnings"; status=1; fi
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || echo "man failed")
  if [ -n "$warnings" ]; then echo "$page: $warnings"; status=1; fi
  [ $status -ne 0 ] || echo "ok $page"
done
exit $status
