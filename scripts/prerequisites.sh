#!/usr/bin/env bash
# Makes sure this machine has what the tests need besides the .NET SDK, installing it when it can:
#   - PostgreSQL server binaries (initdb, pg_ctl), for the throwaway cluster of scripts/start-postgres.sh,
#     unless the tests are given a server (EVENTSOURCING_TEST_POSTGRES, or POSTGRES_DBNAME and POSTGRES_USER);
#   - npm, with which scripts/install-tools.sh installs buf for the `buf curl` tests.
# It installs through the system's package manager (apt-get, dnf, or brew) as root, or with sudo when sudo needs no
# password. When it cannot, it stops at once, naming the one command that would install what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "prerequisites: $*" >&2; }

has_postgres() {
  [[ -n "${PG_BIN:-}" && -x "${PG_BIN}/initdb" ]] && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  ls /usr/pgsql-*/bin/initdb >/dev/null 2>&1 && return 0
  command -v initdb >/dev/null 2>&1
}

# The package manager command for this machine, with sudo when needed; empty when there is no way to install.
installer() {
  local as_root=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    elif ! command -v brew >/dev/null 2>&1; then
      return 0
    fi
  fi

  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 || ${#as_root[@]} -gt 0 ]]; then
    echo "${as_root[*]} apt-get"
  elif command -v dnf >/dev/null 2>&1 && [[ "$(id -u)" == 0 || ${#as_root[@]} -gt 0 ]]; then
    echo "${as_root[*]} dnf"
  elif command -v brew >/dev/null 2>&1; then
    echo "brew"
  fi
}

# Installs the packages named for each package manager (apt, dnf, brew); false when it could not.
install() {
  local apt_package="$1" dnf_package="$2" brew_package="$3" manager
  manager="$(installer)"
  case "$manager" in
    *apt-get)
      say "installing $apt_package with $manager"
      $manager update -qq >&2 && DEBIAN_FRONTEND=noninteractive $manager install -y -qq "$apt_package" >/dev/null ;;
    *dnf)
      say "installing $dnf_package with $manager"
      $manager install -y -q "$dnf_package" >&2 ;;
    brew)
      say "installing $brew_package with brew"
      brew install -q "$brew_package" >&2 ;;
    *) return 1 ;;
  esac
}

# The command a person would type to install the package here.
advice() {
  if command -v apt-get >/dev/null 2>&1; then echo "sudo apt-get install $1"
  elif command -v dnf >/dev/null 2>&1; then echo "sudo dnf install $2"
  elif command -v brew >/dev/null 2>&1; then echo "brew install $3"
  else echo "your package manager's $1 package"
  fi
}

needs_postgres=1
if [[ -n "${EVENTSOURCING_TEST_POSTGRES:-}" || ( -n "${POSTGRES_DBNAME:-}" && -n "${POSTGRES_USER:-}" ) ]]; then
  needs_postgres=""
fi

if [[ -n "$needs_postgres" ]] && ! has_postgres; then
  if ! install postgresql postgresql-server postgresql@15 || ! has_postgres; then
    say "the PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl), which are not installed; install them with:"
    say "  $(advice postgresql postgresql-server postgresql@15)"
    say "or give the tests a server: EVENTSOURCING_TEST_POSTGRES=postgresql://USER:PASSWORD@HOST:PORT/DBNAME"
    exit 1
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  if ! install npm nodejs-npm node || ! command -v npm >/dev/null 2>&1; then
    say "the buf curl tests need npm (to install buf), which is not installed; install it with:"
    say "  $(advice npm nodejs-npm node)"
    exit 1
  fi
fi

bash scripts/install-tools.sh >/dev/null
