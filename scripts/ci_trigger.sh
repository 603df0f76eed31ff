#!/usr/bin/env bash
# Trigger a CI pipeline for a branch with the provider's CLI.
#
# usage: scripts/ci_trigger.sh --platform github|gitlab --branch BRANCH [--workflow WORKFLOW]
#
#   github: gh workflow run WORKFLOW --ref BRANCH   (--workflow required: file name, id or name,
#           e.g. ci.yml; needs `gh auth login` or GH_TOKEN)
#   gitlab: glab ci run --branch BRANCH             (--workflow is ignored; needs `glab auth login`
#           or GITLAB_TOKEN)
#
# Exit codes: the CLI's own status; 2 on bad usage; 127 when the CLI is not installed.
set -euo pipefail

me="ci_trigger.sh"
usage() {
  cat >&2 <<USAGE
usage: $me --platform github|gitlab --branch BRANCH [--workflow WORKFLOW]
  --platform   github (uses gh) or gitlab (uses glab)
  --branch     branch (ref) to run the pipeline on
  --workflow   GitHub Actions workflow file, id or name (required for github, e.g. ci.yml)
USAGE
  exit 2
}

platform="" branch="" workflow=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --platform|--branch|--workflow)
      [[ $# -ge 2 && -n "$2" ]] || { echo "$me: $1 needs a value" >&2; usage; }
      case "$1" in
        --platform) platform="$2" ;;
        --branch) branch="$2" ;;
        --workflow) workflow="$2" ;;
      esac
      shift 2 ;;
    --platform=*) platform="${1#*=}"; shift ;;
    --branch=*) branch="${1#*=}"; shift ;;
    --workflow=*) workflow="${1#*=}"; shift ;;
    -h|--help) usage ;;
    *) echo "$me: unknown argument '$1'" >&2; usage ;;
  esac
done

[[ -n "$platform" ]] || { echo "$me: --platform is required" >&2; usage; }
[[ -n "$branch" ]] || { echo "$me: --branch is required" >&2; usage; }
if [[ "$branch" == -* ]]; then
  echo "$me: invalid branch '$branch'" >&2
  usage
fi

require() {
  local cli="$1" name="$2" how="$3"
  if ! command -v "$cli" >/dev/null 2>&1; then
    echo "$me: '$cli' ($name) is not installed or not on PATH. Install it: $how" >&2
    exit 127
  fi
}

case "$platform" in
  github)
    [[ -n "$workflow" ]] || { echo "$me: --workflow is required for github (e.g. ci.yml)" >&2; usage; }
    if [[ "$workflow" == -* ]]; then
      echo "$me: invalid workflow '$workflow'" >&2
      usage
    fi
    require gh "GitHub CLI" "https://cli.github.com/ (apt install gh, brew install gh), then 'gh auth login' or set GH_TOKEN"
    echo "$me: gh workflow run $workflow --ref $branch" >&2
    exec gh workflow run "$workflow" --ref "$branch"
    ;;
  gitlab)
    if [[ -n "$workflow" ]]; then
      echo "$me: note: --workflow is ignored for gitlab" >&2
    fi
    require glab "GitLab CLI" "https://gitlab.com/gitlab-org/cli#installation (brew install glab, or a release package), then 'glab auth login' or set GITLAB_TOKEN"
    echo "$me: glab ci run --branch $branch" >&2
    exec glab ci run --branch "$branch"
    ;;
  *)
    echo "$me: --platform must be github or gitlab (got '$platform')" >&2
    usage
    ;;
esac
