#!/usr/bin/env bash
# Installs every Debian package Lantern needs to build, test and run. Idempotent: a
# machine that already has them all does no network work at all.
set -euo pipefail

packages=(
  # build
  cmake ninja-build ccache g++ pkg-config
  # libraries (see README "Dependencies" for why each one is there)
  libboost1.81-dev libboost-json1.81-dev
  libprotobuf-dev protobuf-compiler
  libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev prometheus-cpp-dev libsodium-dev
  libtomlplusplus-dev libsystemd-dev libcurl4-openssl-dev libhowardhinnant-date-dev tzdata libssl-dev
  # demo and tests: a local SMTP server that keeps carer emails
  python3 python3-aiosmtpd
  # tests: unit/integration, fuzzing, browser
  libgtest-dev libgmock-dev clang-14 libclang-rt-14-dev
  chromium sqlite3 curl openssl
  # tests: the package (lintian, dpkg-shlibdeps), its units (systemd-analyze), the
  # Prometheus rules (promtool, from the prometheus package)
  help2man dpkg-dev lintian systemd prometheus
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# Node may come from another source than Debian (its nodejs package then conflicts with
# Debian's npm): only ask for them when the commands are missing.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
