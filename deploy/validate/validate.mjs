// Validates the deployment files, run by CI (.ci/run) from the repository root:
//   (cd deploy/validate && npm ci --silent) && node deploy/validate/validate.mjs
// - docker-compose.yml against the Compose Specification's JSON Schema (compose-spec.json here, a copy of
//   compose-spec/compose-spec schema/compose-spec.json), after interpolating ${VAR:-default} as Compose does;
// - every manifest in deploy/k8s against the Kubernetes OpenAPI schemas (kubernetes-models' validate());
//   kustomization.yaml lists exactly the manifests there;
// - no workspace is shared: no named Compose volume or PersistentVolumeClaim holds DEKSDENFLOW_WORKSPACE,
//   nothing asks for ReadWriteMany, and every app container runs with DEKSDENFLOW_WORKSPACE_SHARED=false.
// Then a self-test: a copy with a wrong field type and a copy with a shared volume must both be refused.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import YAML from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const WORKSPACE = "/var/lib/deksdenflow/workspace";

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, $$ (a literal $). */
function interpolate(text) {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, name, op, arg, bare) => {
      if (m === "$$") return "$";
      if (bare) return process.env[bare] ?? "";
      const v = process.env[name];
      if (op === ":-" || op === "-") return v ? v : arg;
      if (op === ":?" || op === "?") return v ? v : "set-by-ci";
      return v ?? "";
    });
}

function composeProblems(doc) {
  const problems = [];
  const schema = JSON.parse(readFileSync(join(here, "compose-spec.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: false });
  const validate = ajv.compile(schema);
  if (!validate(doc)) {
    for (const e of validate.errors) problems.push(`docker-compose.yml${e.instancePath}: ${e.message}`);
  }
  const named = new Set(Object.keys(doc.volumes ?? {}));
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    const env = svc.environment ?? {};
    const isApp = typeof env === "object" && !Array.isArray(env) && "DEKSDENFLOW_ROLE" in env;
    for (const v of svc.volumes ?? []) {
      const [source, target] = typeof v === "string" ? (v.includes(":") ? v.split(":") : [null, v])
        : [v.source ?? null, v.target];
      if (target === WORKSPACE && source && named.has(source)) {
        problems.push(`docker-compose.yml services.${name}: the workspace is the named volume '${source}'; each process must keep its own`);
      }
    }
    if (isApp && String(env.DEKSDENFLOW_WORKSPACE_SHARED) !== "false") {
      problems.push(`docker-compose.yml services.${name}: DEKSDENFLOW_WORKSPACE_SHARED must be "false"`);
    }
  }
  return problems;
}

async function k8sProblems(files) {
  const problems = [];
  let sharedSetting = null;
  for (const [file, docs] of files) {
    for (const doc of docs) {
      if (!doc) continue;
      const where = `deploy/k8s/${file} ${doc.kind}/${doc.metadata?.name}`;
      if (doc.kind === "Kustomization") continue;
      const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["v1", null];
      const modulePath = version ? `kubernetes-models/${group}/${version}/${doc.kind}` : `kubernetes-models/v1/${doc.kind}`;
      let Model;
      try {
        Model = (await import(modulePath))[doc.kind];
      } catch (e) {
        problems.push(`${where}: unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
        continue;
      }
      try {
        new Model(doc).validate();
      } catch (e) {
        problems.push(`${where}: ${e.message}`);
      }
      if (doc.kind === "PersistentVolumeClaim") problems.push(`${where}: a PersistentVolumeClaim; workers keep no shared volume`);
      if (JSON.stringify(doc).includes("ReadWriteMany")) problems.push(`${where}: asks for ReadWriteMany`);
      for (const vol of doc.spec?.template?.spec?.volumes ?? []) {
        if (vol.persistentVolumeClaim) problems.push(`${where}: volume '${vol.name}' is a PersistentVolumeClaim`);
      }
      if (doc.kind === "ConfigMap" && doc.data && "DEKSDENFLOW_WORKSPACE_SHARED" in doc.data) {
        sharedSetting = doc.data.DEKSDENFLOW_WORKSPACE_SHARED;
      }
    }
  }
  if (sharedSetting !== "false") problems.push(`deploy/k8s: the ConfigMap must set DEKSDENFLOW_WORKSPACE_SHARED: "false"`);
  const kustomization = files.get("kustomization.yaml")?.[0];
  const listed = new Set(kustomization?.resources ?? []);
  for (const f of files.keys()) {
    if (f !== "kustomization.yaml" && !listed.has(f)) problems.push(`deploy/k8s/kustomization.yaml does not list ${f}`);
  }
  for (const f of listed) if (!files.has(f)) problems.push(`deploy/k8s/kustomization.yaml lists a missing ${f}`);
  return problems;
}

function loadAll(text) {
  return YAML.parseAllDocuments(text, { merge: true }).map((d) => {
    if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join("; "));
    return d.toJS({ maxAliasCount: -1 });
  });
}

const compose = loadAll(interpolate(readFileSync(join(root, "docker-compose.yml"), "utf8")))[0];
const k8sDir = join(root, "deploy", "k8s");
const k8s = new Map(readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f)).sort()
  .map((f) => [f, loadAll(readFileSync(join(k8sDir, f), "utf8"))]));

const problems = [...composeProblems(compose), ...(await k8sProblems(k8s))];
for (const p of problems) console.log("  " + p);
console.log(problems.length ? `${problems.length} problem(s)` : `ok: docker-compose.yml and ${k8s.size} files in deploy/k8s`);

// Self-test: the checks above must refuse a broken copy (a guard that accepts everything proves nothing).
const brokenCompose = structuredClone(compose);
brokenCompose.volumes = { ...(brokenCompose.volumes ?? {}), workspace: {} };
brokenCompose.services.worker.volumes = [`workspace:${WORKSPACE}`];
brokenCompose.services.worker.restart = 42;
const brokenK8s = new Map([...k8s].map(([f, docs]) => [f, structuredClone(docs)]));
const worker = brokenK8s.get("worker-deployment.yaml")[0];
worker.spec.template.spec.containers[0].ports[0].containerPort = "http";
worker.spec.template.spec.volumes.push({ name: "shared", persistentVolumeClaim: { claimName: "x" } });
const caught = [...composeProblems(brokenCompose), ...(await k8sProblems(brokenK8s))];
const expected = ["named volume 'workspace'", "services/worker/restart", "containerPort must be integer", "is a PersistentVolumeClaim"];
const missed = expected.filter((e) => !caught.some((p) => p.includes(e)));
if (missed.length) console.log(`self-test FAILED: not refused: ${missed.join(", ")}`);
else console.log("self-test: a wrong field type and a shared workspace volume are refused");
process.exit(problems.length || missed.length ? 1 : 0);
