"""Fails CI when a suite that must run on this machine was skipped or is missing (PostgreSQL, the real agent CLIs, ...)."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

reports = sys.argv[1]
# suites that must run every test here: a single skip means PostgreSQL, Redis, Chromium or bubblewrap
# was missing, a cgroup could not be made, or npm could not install the real agent CLIs (target/agent-clis)
no_skips = [
    "io.deksdenflow.orchestrator.store.PostgresStoreContractTest",
    "io.deksdenflow.orchestrator.api.PostgresApiHttpTest",
    "io.deksdenflow.orchestrator.api.PostgresConcurrentActionsTest",
    "io.deksdenflow.orchestrator.secrets.PostgresSecretsAtRestHttpTest",
    "io.deksdenflow.orchestrator.queue.QueueExternalRedisTest",
    "io.deksdenflow.orchestrator.console.ConsoleBrowserTest",
    "io.deksdenflow.orchestrator.engine.AgentSandboxTest",
    "io.deksdenflow.orchestrator.engine.AgentDiesWithWorkerTest",
    "io.deksdenflow.orchestrator.engine.AgentLimitsTest",
    "io.deksdenflow.orchestrator.engine.SandboxProgramPathTest",
    "io.deksdenflow.orchestrator.execution.HostileAgentFlowTest",
    "io.deksdenflow.orchestrator.execution.RealCliFlowTest",
    "io.deksdenflow.orchestrator.execution.RealCliErrorScenariosTest",
    "io.deksdenflow.orchestrator.execution.RealCliUsageLimitTest",
    "io.deksdenflow.orchestrator.execution.RealCliOwnSandboxTest",
    "io.deksdenflow.orchestrator.execution.RealCliHostileAnswerTest",
    "io.deksdenflow.orchestrator.execution.RealCliConflictFixTest",
    "io.deksdenflow.orchestrator.execution.SandboxHidingFlowTest",
    "io.deksdenflow.orchestrator.engine.AgentEgressSandboxTest",
    "io.deksdenflow.orchestrator.engine.EngineStateFlowTest",
    "io.deksdenflow.orchestrator.execution.LocalOriginsHiddenFlowTest",
    "io.deksdenflow.orchestrator.execution.ExactlyOnceStepTest",
]
required = list(no_skips)
# suites that join as their capability lands; checked (no skips either) when their class exists
optional_required = []
failed = False
totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for path in glob.glob(os.path.join(reports, "TEST-*.xml")):
    root = ET.parse(path).getroot()
    for k in totals:
        totals[k] += int(root.get(k, 0))


def check(name, must_exist):
    global failed
    path = os.path.join(reports, f"TEST-{name}.xml")
    if not os.path.exists(path):
        if must_exist:
            print(f"MISSING: {name} did not run")
            failed = True
        return
    root = ET.parse(path).getroot()
    tests, skipped = int(root.get("tests", 0)), int(root.get("skipped", 0))
    if tests == 0 or skipped == tests or (skipped and name in no_skips):
        print(f"SKIPPED: {name} ran {tests} tests, skipped {skipped}")
        failed = True
    else:
        print(f"ok: {name} ran {tests - skipped} tests")


for n in required:
    check(n, True)
src = os.path.join(os.path.dirname(reports), "..", "src", "test", "java")
for n in optional_required:
    if os.path.exists(os.path.join(src, *n.split(".")) + ".java"):
        check(n, True)
passed = totals["tests"] - totals["failures"] - totals["errors"] - totals["skipped"]
print(f"{passed} passed, {totals['failures'] + totals['errors']} failed, {totals['skipped']} skipped")
sys.exit(1 if failed else 0)
