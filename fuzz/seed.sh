#!/usr/bin/env bash
# Seed the fuzz corpora from the conformance data files, at run time.
# The corpora are git-ignored: the data files are never committed here.
# Usage: fuzz/seed.sh   (from anywhere; does nothing when ../shared is absent)
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
data="$fuzz/../../shared/conformance/data"
if [ ! -d "$data" ]; then
  echo "seed.sh: $data is absent: corpora not seeded"
  exit 0
fi
for t in whole_file zstd_input file_magic legacy_convert; do
  mkdir -p "$fuzz/corpus/$t"
  cp -f "$data"/* "$fuzz/corpus/$t/"
  chmod u+w "$fuzz/corpus/$t"/*
done
echo "seed.sh: seeded whole_file, zstd_input, file_magic, legacy_convert with $(ls "$data" | wc -l) files"
