#!/usr/bin/env bash
# Installs the pinned conftest into the project-local .tools/bin, built from its Go module like OPA
# (scripts/install-opa.sh): these machines reach the Go module proxy, not GitHub release downloads.
# conftest is not needed to gate anything; the tests use it to prove that conftest users get the
# same verdicts from policies/conftest.rego as the wasm gate gives.
set -euo pipefail

CONFTEST_VERSION="0.71.1"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${ROOT}/.tools/bin"
CONFTEST="${BIN_DIR}/conftest"

# A `go install`ed conftest prints "Conftest: dev": its version is in the binary's build info instead.
installed_conftest_version() {
  if [[ -x "${CONFTEST}" ]]; then
    go version -m "${CONFTEST}" 2>/dev/null |
      awk '$1 == "mod" && $2 == "github.com/open-policy-agent/conftest" { sub(/^v/, "", $3); print $3; exit }'
  fi
}

if ! command -v go >/dev/null 2>&1; then
  echo "install-conftest: go is not on PATH; conftest v${CONFTEST_VERSION} is built from source" >&2
  exit 1
fi

previous="$(installed_conftest_version || true)"
if [[ "${previous}" == "${CONFTEST_VERSION}" ]]; then
  echo "install-conftest: conftest v${CONFTEST_VERSION} already installed at ${CONFTEST}, skipped build"
  exit 0
fi

mkdir -p "${BIN_DIR}"
rm -f "${CONFTEST}"
start="$(date +%s)"
GOBIN="${BIN_DIR}" CGO_ENABLED=0 GOFLAGS="-buildvcs=false" \
  go install "github.com/open-policy-agent/conftest@v${CONFTEST_VERSION}"
elapsed=$(($(date +%s) - start))

current="$(installed_conftest_version || true)"
if [[ "${current}" != "${CONFTEST_VERSION}" ]]; then
  echo "install-conftest: expected conftest v${CONFTEST_VERSION} at ${CONFTEST} but it reports '${current:-nothing}'" >&2
  exit 1
fi
echo "install-conftest: built conftest v${CONFTEST_VERSION} into ${CONFTEST} in ${elapsed}s"
