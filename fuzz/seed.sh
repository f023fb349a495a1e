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
# archive_input: the data files as they are, and archived when rsadc is built.
mkdir -p "$fuzz/corpus/archive_input"
cp -f "$data"/* "$fuzz/corpus/archive_input/"
chmod u+w "$fuzz/corpus/archive_input"/*
rsadc="$fuzz/../target/release/rsadc"
if [ -x "$rsadc" ]; then
  for f in "$data"/*; do
    a="$fuzz/corpus/archive_input/$(basename "$f").sarc-seed"
    cp -f "$f" "$a" && chmod u+w "$a" && "$rsadc" --archive "$a" 2>/dev/null && mv -f "$a.sarc" "$a" || rm -f "$a"
  done
fi
echo "seed.sh: seeded whole_file, zstd_input, file_magic, legacy_convert, archive_input with $(ls "$data" | wc -l) files"
