// What the checks share: rendering an overlay with kubectl's Kustomize, and validating Kubernetes objects two ways.
//  1. kubernetes-models' JSON-schema validators (types, required fields, enums, formats) for every built-in kind,
//     and @kubernetes-models/prometheus-operator's for ServiceMonitor and PrometheusRule;
//  2. the TypeScript compiler's excess-property check against the same models' type declarations, which rejects
//     any field the API does not have (a misspelt `readOnlyRootFileSystem` passes the JSON schemas, which allow
//     unknown fields, but the API server would reject or silently drop it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const K8S = resolve(HERE, "..");
export const REPO = resolve(K8S, "..");
export const OVERLAYS = ["single", "cluster", "cluster-tls"];

/** `kubectl kustomize k8s/overlays/NAME`, as objects. */
export function render(overlay) {
  const out = execFileSync("kubectl", ["kustomize", join(K8S, "overlays", overlay)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return parseYaml(out);
}

export function parseYaml(text) {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS();
    })
    .filter((o) => o != null);
}

/** The module and class of an object's model: kubernetes-models for built-in kinds, the operator's for its CRDs. */
export function modelOf(object) {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    throw new Error(`object without apiVersion/kind: ${JSON.stringify(object).slice(0, 120)}`);
  }
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  if (group === "monitoring.coreos.com") {
    return { module: `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`, kind };
  }
  return { module: `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`, kind };
}

/** Throws with the schema's complaint when the object is not valid. */
export async function validateSchema(object) {
  const { module, kind } = modelOf(object);
  let Model;
  try {
    Model = (await import(module))[kind];
  } catch (e) {
    throw new Error(`no schema for ${object.apiVersion} ${kind} (${module}): ${e.message}`);
  }
  if (typeof Model !== "function") throw new Error(`no model ${kind} in ${module}`);
  new Model(object).validate();
}

/**
 * Type-checks the objects as literals of their models' interfaces. Returns the compiler's diagnostics ("" when
 * every field is one the API knows, with a type it accepts).
 */
export function excessFieldDiagnostics(objects) {
  const dir = mkdtempSync(join(HERE, ".tsc-"));
  try {
    const lines = [];
    objects.forEach((object, i) => {
      const { module, kind } = modelOf(object);
      lines.push(`import type { I${kind} as T${i} } from "${module}";`);
      lines.push(`export const o${i}: T${i} = ${JSON.stringify(object, null, 1)};`);
    });
    writeFileSync(join(dir, "objects.ts"), lines.join("\n"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          skipLibCheck: true,
          types: [],
        },
        files: ["objects.ts"],
      }),
    );
    try {
      execFileSync(process.execPath, [join(HERE, "node_modules", "typescript", "bin", "tsc"), "-p", dir], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      return "";
    } catch (e) {
      return `${e.stdout ?? ""}${e.stderr ?? ""}` || e.message;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
