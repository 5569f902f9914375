#!/usr/bin/env bash
# Fails on an include that crosses the module arrows of STYLE.md 2.3, or on a third-party header
# in a module the table of STYLE.md 2.2 does not allow.
set -euo pipefail
cd "$(dirname "$0")/../.."

# module: modules it may include (besides itself)
declare -A allowed=(
  [core]=""
  [model]="core"
  [codes]="core"
  [formats]="model core"
  [rules]="codes formats model core"
  [store]="model core"
  [audit]="formats rules codes store model core"
  [watch]="core"
  [status]="store model core codes"
  [app]="core model codes formats rules store audit watch status"
)
# module: third-party include prefixes it may use (regex alternatives)
declare -A third_party=(
  [core]="boost/system|openssl"
  [model]=""
  [codes]="zlib.h"
  [formats]="boost/json"
  [rules]="yaml-cpp|re2|boost/json"
  [store]="SQLiteCpp|sqlite3.h|spdlog|fmt|boost/json"
  [audit]="spdlog|fmt"
  [watch]="boost/asio|boost/system|spdlog|fmt"
  [status]="boost/asio|boost/beast|boost/json|boost/system|spdlog|fmt"
  [app]="boost/asio|boost/system|boost/program_options|boost/json|yaml-cpp|systemd|spdlog|fmt"
)

status=0
for module in "${!allowed[@]}"; do
  [ -d "daemon/$module" ] || continue
  while IFS= read -r -d '' file; do
    while IFS= read -r line; do
      include=$(sed -n 's/^#include "\([a-z_]*\)\/.*/\1/p' <<<"$line")
      if [ -n "$include" ] && [ "$include" != "$module" ] &&
         ! grep -qw "$include" <<<"${allowed[$module]}"; then
        echo "$file: '$line' crosses an arrow ($module may include: ${allowed[$module]:-nothing})"
        status=1
      fi
      lib=$(sed -n 's/^#include <\([^>]*\)>.*/\1/p' <<<"$line")
      if [ -n "$lib" ] && grep -qE '^(boost/|SQLiteCpp/|yaml-cpp/|re2/|spdlog/|fmt/|systemd/|openssl/|zlib\.h|sqlite3\.h)' <<<"$lib"; then
        if [ -z "${third_party[$module]}" ] || ! grep -qE "^(${third_party[$module]})" <<<"$lib"; then
          echo "$file: '$line' is not allowed in $module/"
          status=1
        fi
      fi
    done < <(grep -E '^#include' "$file")
  done < <(find "daemon/$module" -name '*.[ch]pp' -print0)
done
exit $status
