// Validate Backstage catalogue files with the real @backstage/catalog-model validators.
// stdin: a JSON list of file paths. stdout: a JSON list, one result per file:
// {entities: [{kind, name, title, annotations, labels, spec}], errors: [text]}.
// Each document goes through the catalogue's entity policies (schema, field formats,
// no foreign root fields, default namespace) and the validator of its kind; every
// reference between entities of the file (system, domain, dependsOn, APIs) must resolve.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
} from "@backstage/catalog-model";

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const validators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
];
// Reference fields and the kind a bare name defaults to.
const REFS = [
  ["system", "System"],
  ["domain", "Domain"],
  ["dependsOn", "Component"],
  ["providesApis", "API"],
  ["consumesApis", "API"],
];

async function check(path) {
  const errors = [];
  const entities = [];
  const docs = parseAllDocuments(readFileSync(path, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length) {
      errors.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const raw = doc.toJS();
    try {
      const entity = await policy.enforce(raw);
      let known = false;
      for (const v of validators) {
        if (await v.check(entity)) known = true;
      }
      if (!known) errors.push(`${raw.kind}/${raw.metadata?.name}: no validator for this kind`);
      entities.push(entity);
    } catch (e) {
      errors.push(`${raw?.kind}/${raw?.metadata?.name}: ${e.message}`);
    }
  }
  const names = new Set(entities.map((e) => stringifyEntityRef(e)));
  for (const e of entities) {
    for (const [field, defaultKind] of REFS) {
      const value = e.spec?.[field];
      for (const ref of value === undefined ? [] : [].concat(value)) {
        try {
          const target = stringifyEntityRef(
            parseEntityRef(ref, { defaultKind, defaultNamespace: "default" }),
          );
          if (!names.has(target)) errors.push(`${stringifyEntityRef(e)}: ${field} ${ref} is not in the file`);
        } catch (err) {
          errors.push(`${stringifyEntityRef(e)}: ${field} ${ref}: ${err.message}`);
        }
      }
    }
    try {
      parseEntityRef(e.spec?.owner ?? "", { defaultKind: "Group", defaultNamespace: "default" });
    } catch (err) {
      errors.push(`${stringifyEntityRef(e)}: owner: ${err.message}`);
    }
  }
  return {
    entities: entities.map((e) => ({
      kind: e.kind,
      name: e.metadata.name,
      title: e.metadata.title ?? null,
      annotations: e.metadata.annotations ?? {},
      labels: e.metadata.labels ?? {},
      spec: e.spec,
    })),
    errors,
  };
}

const paths = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const p of paths) results.push(await check(p));
process.stdout.write(JSON.stringify(results));
