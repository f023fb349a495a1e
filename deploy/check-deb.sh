#!/bin/bash
# Installs the Debian package on this machine, checks it, and removes it:
#   deploy/check-deb.sh target/debian/sarkit_*.deb
# As root, on a machine you can throw away (CI's): it runs dpkg -i and
# dpkg --purge. Checks that the package installs beside Debian's sysstat
# without touching it (no shared path, sysstat's files and its sar unchanged),
# that each installed binary runs, that the man pages and completions are
# there, and that rsadc.service is valid (systemd-analyze verify) and enabled.
set -euo pipefail
deb=${1:?usage: deploy/check-deb.sh PACKAGE.deb}
[ "$(id -u)" = 0 ] || { echo "check-deb.sh: needs root (dpkg -i)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok: $*"; }

# sysstat as it was, to compare with after.
have_sysstat=false
if dpkg-query -W -f '${Status}' sysstat 2>/dev/null | grep -q 'install ok installed'; then
  have_sysstat=true
  dpkg --verify sysstat >"$tmp/sysstat-before" || true
fi

dpkg -i "$deb"
ok "dpkg -i $(basename "$deb")"

if $have_sysstat; then
  dpkg-query -L sysstat | sort >"$tmp/sysstat-files"
  dpkg-query -L sarkit | sort >"$tmp/sarkit-files"
  shared=$(comm -12 "$tmp/sysstat-files" "$tmp/sarkit-files" | while read -r p; do [ -d "$p" ] || echo "$p"; done)
  [ -z "$shared" ] || { echo "paths of both sysstat and sarkit: $shared"; exit 1; }
  ok "no file of sysstat's is one of sarkit's"
fi

for bin in rsar rsadf rsadc; do
  [ "$(command -v "$bin")" = "/usr/bin/$bin" ] || { echo "$bin is not /usr/bin/$bin"; exit 1; }
done
/usr/bin/rsar -u 1 1 | tee "$tmp/rsar-u"
grep -q '^Average: *all' "$tmp/rsar-u"
ok "/usr/bin/rsar -u 1 1"
/usr/bin/rsadc -S XALL 1 2 "$tmp/sa" 2>/dev/null
/usr/bin/rsadf -d "$tmp/sa" -- -r | grep -q kbmemfree
/usr/bin/rsar -n DEV -f "$tmp/sa" | grep -q '^Average: *lo'
ok "/usr/bin/rsadc -S XALL 1 2 FILE, read by /usr/bin/rsadf -d and /usr/bin/rsar -f"
/usr/bin/rsadf -V | grep -q sarkit
/usr/bin/rsadc --version | grep -q rsadc
ok "/usr/bin/rsadf -V, /usr/bin/rsadc --version"

for page in rsar rsadf rsadc; do
  man "$page" 2>/dev/null | grep -c 'EXIT STATUS' >/dev/null || { echo "man $page: no page, or no EXIT STATUS"; exit 1; }
done
ok "man rsar, man rsadf, man rsadc"
words=$(bash -c '. /usr/share/bash-completion/completions/rsar; COMP_WORDS=(rsar --fr); COMP_CWORD=1; _rsar; echo "${COMPREPLY[*]}"')
[ "$words" = "--from" ] || { echo "bash completion of 'rsar --fr': '$words'"; exit 1; }
[ -f /usr/share/zsh/vendor-completions/_rsadf ]
ok "bash completion (rsar --fr: --from), zsh completion installed"

unit=/usr/lib/systemd/system/rsadc.service
[ -f "$unit" ] && [ -f /etc/default/sarkit ]
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit"
  ok "systemd-analyze verify $unit"
else
  echo "systemd is not installed here: systemd-analyze verify was not run"
fi
# The unit's command line with the package's settings, as systemd expands
# them ($VAR split into words), into a scratch folder (made, as systemd
# makes LogsDirectory=), two records, no sleep.
mkdir "$tmp/log"
set -a; . /etc/default/sarkit; set +a
exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | sed "s|/var/log/sarkit|$tmp/log|")
eval "set -- $exec_start"
"$@" --unix-time "$(date -d "today 12:00" +%s)" 2 2>/dev/null
/usr/bin/rsar -u -f "$tmp/log" | grep -q '^Average: *all'
ok "the unit's command with /etc/default/sarkit ($*) records a day file rsar reads"
[ -L /etc/systemd/system/multi-user.target.wants/rsadc.service ] || { echo "rsadc.service is not enabled"; exit 1; }
ok "rsadc.service enabled (multi-user.target.wants)"
if [ -d /run/systemd/system ]; then
  systemctl is-active --quiet rsadc || { systemctl status rsadc --no-pager || true; exit 1; }
  ok "rsadc.service running under systemd"
else
  echo "systemd is not running here (PID 1 is $(ps -o comm= -p 1)): rsadc.service was verified and enabled, not started"
fi

if $have_sysstat; then
  dpkg --verify sysstat >"$tmp/sysstat-after" || true
  cmp "$tmp/sysstat-before" "$tmp/sysstat-after" || { echo "sysstat's files changed"; exit 1; }
  /usr/lib/sysstat/sadc 1 2 "$tmp/sa-sysstat"
  sar -u -f "$tmp/sa-sysstat" | grep -q '^Average: *all'
  ok "sysstat unchanged (dpkg --verify), and its sadc and sar still record and report"
fi

dpkg -r sarkit
for p in /usr/bin/rsar /usr/bin/rsadf /usr/bin/rsadc "$unit"; do
  [ ! -e "$p" ] || { echo "$p is left after dpkg -r"; exit 1; }
done
ok "dpkg -r sarkit: the binaries and the unit are gone (the settings stay until purged)"
dpkg --purge sarkit
for p in /usr/bin/rsar /usr/bin/rsadf /usr/bin/rsadc "$unit" /etc/default/sarkit \
  /etc/systemd/system/multi-user.target.wants/rsadc.service; do
  [ ! -e "$p" ] || { echo "$p is left after dpkg --purge"; exit 1; }
done
ok "dpkg --purge sarkit: its files and the unit's link are gone"
