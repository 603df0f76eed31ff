#!/usr/bin/env bash
# Report a CI result back to the DeksdenFlow orchestrator as a GitHub- or GitLab-shaped webhook.
#
# usage: scripts/ci/report.sh success|failure
#
# Environment:
#   DEKSDENFLOW_API_BASE         orchestrator base URL, e.g. https://orchestrator.example.com
#                                (unset: print a notice and exit 0 without doing anything)
#   DEKSDENFLOW_CI_PROVIDER      github (default): POST /webhooks/github, workflow_run payload signed
#                                with X-Hub-Signature-256; gitlab: POST /webhooks/gitlab, Pipeline Hook
#                                payload with X-Gitlab-Token
#   DEKSDENFLOW_WEBHOOK_TOKEN    the service's webhook secret (HMAC key / GitLab token). Unset: the
#                                request goes unsigned and only a service started with
#                                DEKSDENFLOW_WEBHOOK_ALLOW_UNSIGNED=true accepts it
#   DEKSDENFLOW_PROTOCOL_RUN_ID  optional: sent as ?protocol_run_id= (wins over the branch)
#   DEKSDENFLOW_BRANCH           branch; else CI_COMMIT_REF_NAME, GITHUB_HEAD_REF, GITHUB_REF_NAME,
#                                else `git rev-parse --abbrev-ref HEAD`
#   DEKSDENFLOW_COMMIT_SHA       commit; else CI_COMMIT_SHA, GITHUB_SHA, else `git rev-parse HEAD`
#   DEKSDENFLOW_TARGET_URL       link to the CI run; else CI_PIPELINE_URL or the GitHub Actions run URL
#
# The API bearer token (DEKSDENFLOW_API_TOKEN) is never sent: webhooks authenticate with their own
# signature or token. The JSON body is built by python3 (values passed through the environment, no
# string splicing), or by `jq -n --arg` when python3 is missing; the signature is computed over the
# exact bytes sent. Prints the HTTP status; exits 1 on a non-2xx answer or a failed request, 2 on
# bad usage.
set -euo pipefail

me="report.sh"
usage() { echo "usage: $me success|failure" >&2; exit 2; }

[[ $# -eq 1 ]] || usage
outcome="$1"
case "$outcome" in
  success|failure) ;;
  *) usage ;;
esac

if [[ -z "${DEKSDENFLOW_API_BASE:-}" ]]; then
  echo "$me: DEKSDENFLOW_API_BASE is not set; not reporting CI status ($outcome)." >&2
  exit 0
fi

provider="${DEKSDENFLOW_CI_PROVIDER:-github}"
case "$provider" in
  github|gitlab) ;;
  *) echo "$me: DEKSDENFLOW_CI_PROVIDER must be github or gitlab (got '$provider')" >&2; exit 2 ;;
esac

branch="${DEKSDENFLOW_BRANCH:-${CI_COMMIT_REF_NAME:-${GITHUB_HEAD_REF:-${GITHUB_REF_NAME:-}}}}"
if [[ -z "$branch" ]]; then
  branch="$(git rev-parse --abbrev-ref HEAD 2>/dev/null || true)"
fi
run_id="${DEKSDENFLOW_PROTOCOL_RUN_ID:-}"
if [[ -z "$run_id" && ( -z "$branch" || "$branch" == "HEAD" ) ]]; then
  echo "$me: cannot tell the branch (detached HEAD?); set DEKSDENFLOW_BRANCH or DEKSDENFLOW_PROTOCOL_RUN_ID" >&2
  exit 2
fi
if [[ -n "$run_id" && ! "$run_id" =~ ^[0-9]+$ ]]; then
  echo "$me: DEKSDENFLOW_PROTOCOL_RUN_ID must be a number (got '$run_id')" >&2
  exit 2
fi

sha="${DEKSDENFLOW_COMMIT_SHA:-${CI_COMMIT_SHA:-${GITHUB_SHA:-}}}"
if [[ -z "$sha" ]]; then
  sha="$(git rev-parse HEAD 2>/dev/null || true)"
fi

target_url="${DEKSDENFLOW_TARGET_URL:-${CI_PIPELINE_URL:-}}"
if [[ -z "$target_url" && -n "${GITHUB_SERVER_URL:-}" && -n "${GITHUB_REPOSITORY:-}" && -n "${GITHUB_RUN_ID:-}" ]]; then
  target_url="${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}"
fi

token="${DEKSDENFLOW_WEBHOOK_TOKEN:-}"
if [[ -z "$token" ]]; then
  echo "$me: warning: DEKSDENFLOW_WEBHOOK_TOKEN is not set; sending an unsigned webhook" >&2
fi

have_python=0
if command -v python3 >/dev/null 2>&1; then
  have_python=1
elif ! command -v jq >/dev/null 2>&1; then
  echo "$me: needs python3 (or jq) to build the JSON body" >&2
  exit 2
fi

umask 077
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
body="$workdir/body.json"
headers="$workdir/headers"
response="$workdir/response"

# --- body: exact bytes in $body
export RS_PROVIDER="$provider" RS_OUTCOME="$outcome" RS_BRANCH="$branch" RS_SHA="$sha" RS_URL="$target_url"
if [[ $have_python -eq 1 ]]; then
  python3 - "$body" <<'PY'
import json, os, sys
e = os.environ
url = e["RS_URL"] or None
sha = e["RS_SHA"] or None
if e["RS_PROVIDER"] == "github":
    doc = {"action": "completed",
           "workflow_run": {"head_branch": e["RS_BRANCH"], "head_sha": sha, "status": "completed",
                            "conclusion": e["RS_OUTCOME"], "name": "report.sh", "html_url": url}}
else:
    doc = {"object_kind": "pipeline",
           "object_attributes": {"ref": e["RS_BRANCH"], "sha": sha,
                                 "status": "success" if e["RS_OUTCOME"] == "success" else "failed",
                                 "url": url}}
with open(sys.argv[1], "wb") as f:
    f.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
PY
else
  if [[ "$provider" == "github" ]]; then
    jq -cjn --arg b "$branch" --arg s "$sha" --arg c "$outcome" --arg u "$target_url" \
      '{action:"completed",workflow_run:{head_branch:$b,head_sha:(if $s=="" then null else $s end),status:"completed",conclusion:$c,name:"report.sh",html_url:(if $u=="" then null else $u end)}}' >"$body"
  else
    jq -cjn --arg b "$branch" --arg s "$sha" --arg c "$([[ $outcome == success ]] && echo success || echo failed)" --arg u "$target_url" \
      '{object_kind:"pipeline",object_attributes:{ref:$b,sha:(if $s=="" then null else $s end),status:$c,url:(if $u=="" then null else $u end)}}' >"$body"
  fi
fi

# --- delivery id
if [[ -r /proc/sys/kernel/random/uuid ]]; then
  delivery="$(cat /proc/sys/kernel/random/uuid)"
elif [[ $have_python -eq 1 ]]; then
  delivery="$(python3 -c 'import uuid; print(uuid.uuid4())')"
else
  delivery="$(uuidgen 2>/dev/null || date +%s%N)"
fi

# --- headers (kept in a file so that secrets never appear in the process list)
{
  echo "Content-Type: application/json"
  echo "User-Agent: deksdenflow-report.sh"
  if [[ "$provider" == "github" ]]; then
    echo "X-GitHub-Event: workflow_run"
    echo "X-GitHub-Delivery: $delivery"
    if [[ -n "$token" ]]; then
      if [[ $have_python -eq 1 ]]; then
        # HMAC with the key read from the environment, not from argv
        sig="$(RS_KEY="$token" python3 -c 'import hashlib, hmac, os, sys
print(hmac.new(os.environ["RS_KEY"].encode(), open(sys.argv[1], "rb").read(), hashlib.sha256).hexdigest())' "$body")"
      else
        sig="$(openssl dgst -sha256 -hmac "$token" -r <"$body" | cut -d' ' -f1)"
      fi
      echo "X-Hub-Signature-256: sha256=$sig"
    fi
  else
    echo "X-Gitlab-Event: Pipeline Hook"
    echo "X-Gitlab-Event-UUID: $delivery"
    if [[ -n "$token" ]]; then
      echo "X-Gitlab-Token: $token"
    fi
  fi
} >"$headers"

url="${DEKSDENFLOW_API_BASE%/}/webhooks/$provider"
if [[ -n "$run_id" ]]; then
  url="$url?protocol_run_id=$run_id"
fi

set +e
code="$(curl -sS -o "$response" -w '%{http_code}' -X POST -H @"$headers" --data-binary @"$body" "$url")"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  echo "$me: POST $url failed (curl exit $rc)" >&2
  exit 1
fi
echo "$me: POST $url ($provider, branch '${branch}', $outcome) -> HTTP $code"
if [[ ! "$code" =~ ^2[0-9][0-9]$ ]]; then
  head -c 2000 "$response" >&2 || true
  echo >&2
  exit 1
fi
