#!/usr/bin/env python3
"""Check the deployment files: YAML parses, and every DEKSDENFLOW_* name they use is a setting
mapped in src/main/resources/application.yml (or one of the few names that only the CI scripts
or the example routes read). Run from the repository root: python3 scripts/check_deploy_env.py"""
import glob
import re
import sys

import yaml

NAME = re.compile(r"\bDEKSDENFLOW_[A-Z0-9_]+\b")
EXTRA = {
    # scripts/ci/report.sh
    "DEKSDENFLOW_API_BASE", "DEKSDENFLOW_CI_PROVIDER", "DEKSDENFLOW_PROTOCOL_RUN_ID",
    "DEKSDENFLOW_BRANCH", "DEKSDENFLOW_COMMIT_SHA", "DEKSDENFLOW_TARGET_URL",
    # routes/*.yaml
    "DEKSDENFLOW_JENKINS_TOKEN", "DEKSDENFLOW_SLACK_WEBHOOK_URL",
}

known = set(NAME.findall(open("src/main/resources/application.yml").read())) | EXTRA
files = ["Dockerfile", "docker-compose.yml", "docs/ci.md"] + sorted(glob.glob("deploy/k8s/*.yaml")) \
    + sorted(glob.glob("routes/*.yaml")) + ["scripts/ci/report.sh"]
bad = 0
for f in files:
    text = open(f).read()
    if f.endswith((".yml", ".yaml")):
        try:
            list(yaml.safe_load_all(text))
        except yaml.YAMLError as e:
            print(f"{f}: YAML error: {e}")
            bad += 1
    for n in sorted(set(NAME.findall(text)) - known):
        print(f"{f}: {n} is not a setting in application.yml")
        bad += 1
print("ok" if not bad else f"{bad} problem(s)")
sys.exit(1 if bad else 0)
