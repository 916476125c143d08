#!/usr/bin/env bash
# System packages the test suite needs (make run needs none of them):
#   chromium        browser tests (Playwright drives Debian's chromium; it cannot download one)
#   fonts-noto-cjk  Chinese text in PDFs and screenshots
#   poppler-utils   pdftoppm, to look at rendered PDFs
#   postgresql-15   initdb/pg_ctl for the throwaway cluster of scripts/with-postgres.sh
#   libpangoft2     WeasyPrint loads pango at import time
#   wrk             the HTTP load generator of make bench and of bench-small in make test
# Missing and root on Debian/Ubuntu: installed with apt-get. Missing otherwise: say what, and fail.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
missing=()

have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || compgen -G "/usr/lib/*/$1*" >/dev/null; }

have_cmd chromium || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
  || (have_cmd fc-list && fc-list ':lang=zh' family | grep -qi 'Noto Sans CJK') \
  || missing+=(fonts-noto-cjk)
have_cmd pdftoppm || missing+=(poppler-utils)
[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/psql" ] || missing+=(postgresql-15)
have_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
have_cmd wrk || missing+=(wrk)

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  missing+=(postgresql-15)  # its postinst creates the postgres user initdb runs as
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: chromium, fonts-noto-cjk, poppler-utils, postgresql-15, wrk present"
  exit 0
fi

if [ "$(id -u)" = 0 ] && have_cmd apt-get; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  exit 0
fi

{
  echo "system-deps: missing system packages for the tests: ${missing[*]}"
  echo "  install them, e.g. on Debian/Ubuntu:"
  echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  echo "  (PostgreSQL 15 binaries are expected in $PG_BIN; set PG_BIN to use another location)"
} >&2
exit 1
