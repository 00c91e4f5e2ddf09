#!/usr/bin/env bash
# The body of action.yml: runs the packaged gate on a workflow's plans. Every input arrives as an
# environment variable and is only ever quoted, never pasted into code, so a value cannot inject
# shell. Kept as a script so the tests run exactly what the action runs.
#
# GUARDRAILS_PACKAGE    npm package spec of the gate: a release tarball URL, a .tgz path, or name@version;
#                       default: the npm pack tarball attached to this action's release, v<package.json version>
#                       (GUARDRAILS_ACTION_REPOSITORY and GUARDRAILS_ACTION_PATH say which), so pinning the
#                       action to a commit SHA pins the gate's version too
# GUARDRAILS_PATHS      whitespace-separated inputs: plan JSON, cdk.tf.json, or a cdktf.out folder
# GUARDRAILS_FORMAT     text | json | sarif (default, as in action.yml) | junit (whatever the packaged CLI supports)
# GUARDRAILS_REPORT     where to write the report (default: $RUNNER_TEMP/ddb-guardrails/report.<ext>)
# GUARDRAILS_CONFIG, GUARDRAILS_ORGANIZATION_ID, GUARDRAILS_ACCOUNT_ID, GUARDRAILS_TIER,
# GUARDRAILS_WAIVERS    passed as --config, --organization-id, --account-id, --tier, --waivers when set
# GUARDRAILS_FAIL_ON_VIOLATIONS  "false" to let the job continue on violations (the verdict says "failed")
#
# Writes `report` and `verdict` (passed | failed | error) to $GITHUB_OUTPUT; exits as the gate does.
set -uo pipefail

fail() {
  echo "ddb-guardrails action: $1" >&2
  [[ -n "${GITHUB_OUTPUT:-}" ]] && echo "verdict=error" >>"${GITHUB_OUTPUT}"
  exit 2
}

package="${GUARDRAILS_PACKAGE:-}"
if [[ -z "${package}" ]]; then
  manifest="${GUARDRAILS_ACTION_PATH:-}/package.json"
  [[ -n "${GUARDRAILS_ACTION_REPOSITORY:-}" && -f "${manifest}" ]] ||
    fail "no package: set the action's \`package\` input (a release tarball URL, a .tgz path or name@version)"
  version="$(node -p 'require(process.argv[1]).version' "${manifest}")" || fail "cannot read the version in ${manifest}"
  package="https://github.com/${GUARDRAILS_ACTION_REPOSITORY}/releases/download/v${version}/ddb-guardrails-${version}.tgz"
fi
read -r -a paths <<<"$(tr '\n' ' ' <<<"${GUARDRAILS_PATHS:-}")"
[[ ${#paths[@]} -gt 0 ]] || fail "no paths: set the action's \`paths\` input (plan JSON, cdk.tf.json or cdktf.out)"

format="${GUARDRAILS_FORMAT:-sarif}"
case "${format}" in
  text) extension=txt ;;
  junit) extension=xml ;;
  markdown) extension=md ;;
  *) extension="${format}" ;;
esac
report="${GUARDRAILS_REPORT:-}"
if [[ -z "${report}" ]]; then
  report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ddb-guardrails/report.${extension}"
fi
mkdir -p "$(dirname "${report}")"

args=(check "${paths[@]}" --format "${format}" --output "${report}")
[[ -n "${GUARDRAILS_CONFIG:-}" ]] && args+=(--config "${GUARDRAILS_CONFIG}")
[[ -n "${GUARDRAILS_ORGANIZATION_ID:-}" ]] && args+=(--organization-id "${GUARDRAILS_ORGANIZATION_ID}")
[[ -n "${GUARDRAILS_ACCOUNT_ID:-}" ]] && args+=(--account-id "${GUARDRAILS_ACCOUNT_ID}")
[[ -n "${GUARDRAILS_TIER:-}" ]] && args+=(--tier "${GUARDRAILS_TIER}")
[[ -n "${GUARDRAILS_WAIVERS:-}" ]] && args+=(--waivers "${GUARDRAILS_WAIVERS}")

# npm exec installs the package (and only its runtime dependencies) into npm's cache, then runs its bin.
npm exec --yes --no-audit --no-fund --package="${package}" -- ddb-guardrails "${args[@]}"
code=$?
case "${code}" in
  0) verdict=passed ;;
  1) verdict=failed ;;
  *) verdict=error ;;
esac
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  {
    echo "report=${report}"
    echo "verdict=${verdict}"
  } >>"${GITHUB_OUTPUT}"
fi
if [[ "${code}" == 1 && "${GUARDRAILS_FAIL_ON_VIOLATIONS:-true}" == "false" ]]; then
  exit 0
fi
exit "${code}"
