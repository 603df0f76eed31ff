#!/usr/bin/env python3
"""Check the deployment files: YAML parses, and every DEKSDENFLOW_* name they use is a setting
documented in the README's settings table (SettingsDocumentedTest keeps that table and the
settings records in step), or one of the few names that only the CI scripts or the example routes
read. Run from the repository root (CI runs it): python3 scripts/check_deploy_env.py"""
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

TABLE_ROW = re.compile(r"^\|\s*`(DEKSDENFLOW_[A-Z0-9_]+)`", re.MULTILINE)
SHORT = re.compile(r"^\|\s*`(DEKSDENFLOW_[A-Z0-9_]+)`((?:\s*/\s*`_[A-Z0-9_]+`)+)", re.MULTILINE)
readme = open("README.md").read()
known = set(TABLE_ROW.findall(readme)) | EXTRA
for first, rest in SHORT.findall(readme):  # `DEKSDENFLOW_PLANNING_MODEL` / `_EXEC_MODEL`: same prefix
    prefix = first.split("_")[0]
    known |= {prefix + s for s in re.findall(r"`(_[A-Z0-9_]+)`", rest)}
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
        print(f"{f}: {n} is not a setting in the README's settings table")
        bad += 1
print("ok" if not bad else f"{bad} problem(s)")
sys.exit(1 if bad else 0)
