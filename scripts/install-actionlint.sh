#!/usr/bin/env bash
# Installs the pinned actionlint (the GitHub Actions workflow linter) into the project-local .tools/bin.
#
# Built from its Go module with `go install`, like OPA (scripts/install-opa.sh): these machines reach
# the Go module proxy but not GitHub release downloads, and a pin keeps every developer and CI on the
# same checks.
set -euo pipefail

ACTIONLINT_VERSION="1.7.12"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${ROOT}/.tools/bin"
ACTIONLINT="${BIN_DIR}/actionlint"

# `actionlint -version` prints the version alone on its first line ("1.7.12", or "v1.7.12" when built
# from a tag); the v is dropped before comparing.
installed_version() {
  if [[ -x "${ACTIONLINT}" ]]; then
    "${ACTIONLINT}" -version 2>/dev/null | head -n 1 | sed 's/^v//'
  fi
}

if ! command -v go >/dev/null 2>&1; then
  echo "install-actionlint: go is not on PATH; actionlint v${ACTIONLINT_VERSION} is built from source and needs Go" >&2
  exit 1
fi

previous="$(installed_version || true)"
if [[ "${previous}" == "${ACTIONLINT_VERSION}" ]]; then
  echo "install-actionlint: actionlint v${ACTIONLINT_VERSION} already installed at ${ACTIONLINT}, skipped build"
  exit 0
fi

mkdir -p "${BIN_DIR}"
# go install refuses to overwrite a file it does not recognise as a Go binary.
rm -f "${ACTIONLINT}"
start="$(date +%s)"
GOBIN="${BIN_DIR}" CGO_ENABLED=0 GOFLAGS="-buildvcs=false" \
  go install "github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}"
elapsed=$(($(date +%s) - start))

current="$(installed_version || true)"
if [[ "${current}" != "${ACTIONLINT_VERSION}" ]]; then
  echo "install-actionlint: expected actionlint v${ACTIONLINT_VERSION} at ${ACTIONLINT} but it reports '${current:-nothing}'" >&2
  exit 1
fi

action="built"
if [[ -n "${previous}" ]]; then
  action="rebuilt (was ${previous})"
fi
echo "install-actionlint: ${action} actionlint v${ACTIONLINT_VERSION} into ${ACTIONLINT} in ${elapsed}s"
