#!/bin/sh
# Builds the man pages and the shell completions into OUTDIR (default:
# target/man of this checkout):
#   OUTDIR/rsar.1 rsadf.1 rsadc.8     roff, from man/*.scd by scdoc
#   OUTDIR/bash/rsar ...              bash completions
#   OUTDIR/zsh/_rsar ...              zsh completions
# The completions offer the options each page documents: an option is a
# `*-x*` or `*--long*` on a line that starts with one (a term of the
# page's option lists). cli/tests/man_pages.rs reads them the same way and
# checks them against what the parsers accept.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../target/man}
command -v scdoc >/dev/null || { echo "man/build.sh: scdoc is needed (apt-get install scdoc)" >&2; exit 1; }
mkdir -p "$out/bash" "$out/zsh"
for src in "$here"/*.scd; do
  page=$(basename "$src" .scd)
  cmd=${page%.*}
  scdoc <"$src" >"$out/$page"
  opts=$(grep '^\*-' "$src" | grep -o '\*-[-A-Za-z0-9]*[A-Za-z0-9]\*' | tr -d '*' | sort -u | tr '\n' ' ')
  cat >"$out/bash/$cmd" <<BASH
# bash completion for $cmd (sarkit), made by man/build.sh from $page's options.
_$cmd() {
    local cur=\${COMP_WORDS[COMP_CWORD]}
    if [[ \$cur == -* ]]; then
        COMPREPLY=(\$(compgen -W '${opts% }' -- "\$cur"))
    fi
}
complete -o bashdefault -o default -F _$cmd $cmd
BASH
  cat >"$out/zsh/_$cmd" <<ZSH
#compdef $cmd
# zsh completion for $cmd (sarkit), made by man/build.sh from $page's options.
if [[ \$PREFIX == -* ]]; then
  compadd -- ${opts% }
else
  _files
fi
ZSH
done
