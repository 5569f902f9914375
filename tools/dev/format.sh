#!/bin/sh
# Formats every tracked C++ file with the checked-in .clang-format.
cd "$(dirname "$0")/../.." && git ls-files '*.cpp' '*.hpp' | xargs -r clang-format-14 -i
