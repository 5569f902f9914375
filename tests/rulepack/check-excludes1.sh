#!/bin/sh
# CTest rulepack_excludes1_generated: rules/default/excludes1_back.yaml must equal a fresh run of
# tools/dev/gen-excludes1 on the FY2017 tabular XML. Exit 77 (skipped) without ../shared.
# usage: check-excludes1.sh SOURCE_DIR SHARED_DIR
set -eu
xml="$2/icd10cm/xml-fy2017/icd10cm_tabular_2017.xml.gz"
if [ ! -f "$xml" ]; then
  echo "skipped: $xml is missing"
  exit 77
fi
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
python3 "$1/tools/dev/gen-excludes1" "$xml" >"$fresh"
if ! diff -u "$1/rules/default/excludes1_back.yaml" "$fresh"; then
  echo "rules/default/excludes1_back.yaml is stale: regenerate it with" >&2
  echo "  tools/dev/gen-excludes1 $xml > rules/default/excludes1_back.yaml" >&2
  exit 1
fi
echo "rules/default/excludes1_back.yaml matches a fresh generation"
