// tests/conformance/js/scenario.mjs — kvdeck-sim acceptance with the Azure SDK
// for JavaScript from npm (@azure/identity, @azure/arm-resources,
// @azure/arm-resources-subscriptions, @azure/arm-keyvault, @azure/arm-network,
// @azure/arm-authorization, @azure/keyvault-secrets), as pinned in
// package-lock.json.
//
// Usage: node scenario.mjs CONNECTION_JSON
// The caller sets NODE_EXTRA_CA_CERTS (the simulator's CA) and HTTPS_PROXY
// (the simulator's CONNECT proxy, which answers NAME.vault.localhost, a name
// Node cannot resolve) with NO_PROXY=127.0.0.1.
// Prints TAP, one line per asserted step; exit 0 all passed, 1 otherwise.
// KVCONF_LRO_TIMEOUT (seconds, default 90) bounds every long-running wait.
import { readFileSync } from "node:fs";
import { randomBytes, randomUUID } from "node:crypto";
import { ClientCertificateCredential, ClientSecretCredential } from "@azure/identity";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ResourceManagementClient } from "@azure/arm-resources";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { NetworkManagementClient } from "@azure/arm-network";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { SecretClient } from "@azure/keyvault-secrets";

const LRO_TIMEOUT_MS = Number(process.env.KVCONF_LRO_TIMEOUT || "90") * 1000;
const HEX32 = /^[0-9a-f]{32}$/;

const conn = JSON.parse(readFileSync(process.argv[2], "utf8"));
const arm = conn.arm.replace(/\/+$/, "");
const armScope = conn.arm_audience.replace(/\/+$/, "") + "/.default";
const tenant = conn.tenant;
const sub = conn.subscriptions[0];
const run = randomBytes(3).toString("hex");
const rg = `conf-js-rg-${run}`;
const vaultName = `confjs${run}`;
const vnetName = "conf-js-vnet";
const subnetName = "pe";
const peName = "conf-js-pe";

let n = 0;
let failed = 0;
const t0 = Date.now();

function check(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}
const sameId = (a, b) => (a || "").toLowerCase() === (b || "").toLowerCase();
const J = (x) => JSON.stringify(x);

function finish() {
  console.log(`1..${n}`);
  console.log(`# js: ${n - failed} passed, ${failed} failed, total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(failed === 0 ? 0 : 1);
}

// A step the simulator never answers fails after STEP_TIMEOUT_MS instead of hanging.
const STEP_TIMEOUT_MS = Math.max(120000, LRO_TIMEOUT_MS + 30000);

async function step(desc, fn, critical = false) {
  const t = Date.now();
  let why = null;
  let timer;
  const watchdog = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step timed out after ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
  });
  try {
    await Promise.race([fn(), watchdog]);
  } catch (e) {
    why = e;
  } finally {
    clearTimeout(timer);
  }
  n += 1;
  const ms = Date.now() - t;
  if (why === null) {
    console.log(`ok ${n} - ${desc} (${ms} ms)`);
    return true;
  }
  failed += 1;
  console.log(`not ok ${n} - ${desc} (${ms} ms)`);
  let text = why && why.stack ? why.stack.split("\n").slice(0, 6).join("\n") : String(why);
  if (why && why.statusCode) text = `HTTP ${why.statusCode} ${why.code || ""}: ${text}`;
  for (const line of text.split("\n")) console.log(`#   ${line}`);
  if (critical) {
    console.log("# stopping: later steps depend on this one");
    finish();
  }
  return false;
}

async function collect(iter) {
  const out = [];
  for await (const x of iter) out.push(x);
  return out;
}

async function waitLro(poller, what) {
  try {
    return await poller.pollUntilDone({ abortSignal: AbortSignal.timeout(LRO_TIMEOUT_MS) });
  } catch (e) {
    if (e && (e.name === "AbortError" || e.name === "TimeoutError")) {
      throw new Error(`${what}: not finished after ${LRO_TIMEOUT_MS / 1000} s`);
    }
    throw e;
  }
}

let cred, token, subs, res, kv, net, sc;
let objectId = null;
let vault, subnet, pe;
const versions = [];

async function sToken() {
  cred = new ClientSecretCredential(tenant, conn.client_id, conn.client_secret, {
    authorityHost: conn.login,
    disableInstanceDiscovery: true,
  });
  token = await cred.getToken(armScope);
  check(token && token.token, "no access token");
  check(token.expiresOnTimestamp > Date.now() + 300000, `token expires too soon: ${token.expiresOnTimestamp}`);
}

async function sTokenJwt() {
  const parts = token.token.split(".");
  check(parts.length === 3, `access token is not a JWT (${parts.length} parts)`);
  const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  check(claims.tid === tenant, `tid ${claims.tid}`);
  check(claims.oid, "no oid claim");
  check(claims.aud, "no aud claim");
  objectId = claims.oid;
}

async function sWrongSecret() {
  const bad = new ClientSecretCredential(tenant, conn.client_id, "wrong-secret", {
    authorityHost: conn.login,
    disableInstanceDiscovery: true,
  });
  let err = null;
  try {
    await bad.getToken(armScope);
  } catch (e) {
    err = e;
  }
  check(err !== null, "a wrong client secret got a token");
  check(/AADSTS7000215|invalid_client/.test(String(err.message)), `unexpected error: ${String(err.message).slice(0, 200)}`);
}

async function sCertificate() {
  // A service principal with a certificate: a signed client assertion.
  check(conn.client_certificate, "connection.json has no client_certificate");
  const c = new ClientCertificateCredential(tenant, conn.client_id, { certificatePath: conn.client_certificate }, {
    authorityHost: conn.login,
    disableInstanceDiscovery: true,
  });
  const t = await c.getToken(armScope);
  check(t && t.token && t.expiresOnTimestamp > Date.now() + 300000, "certificate token");
  const s = new SubscriptionClient(c, { endpoint: arm, $host: arm, credentialScopes: [armScope] });
  const ids = (await collect(s.subscriptions.list())).map((x) => x.subscriptionId).sort();
  check(J(ids) === J([...conn.subscriptions].sort()), `subscriptions with the certificate ${J(ids)}`);
}

async function sSubscriptions() {
  const classic = { endpoint: arm, $host: arm, credentialScopes: [armScope] };
  subs = new SubscriptionClient(cred, classic);
  res = new ResourceManagementClient(cred, sub, classic);
  net = new NetworkManagementClient(cred, sub, classic);
  kv = new KeyVaultManagementClient(cred, sub, { endpoint: arm, credentials: { scopes: [armScope] } });
  const got = await collect(subs.subscriptions.list());
  const ids = got.map((s) => s.subscriptionId).sort();
  check(J(ids) === J([...conn.subscriptions].sort()), `subscriptions ${J(ids)}`);
  for (const s of got) {
    check(s.id === `/subscriptions/${s.subscriptionId}`, `id ${s.id}`);
    check(s.state === "Enabled" && s.displayName && s.tenantId === tenant, `subscription ${J(s)}`);
  }
  const one = await subs.subscriptions.get(sub);
  check(one.subscriptionId === sub, "get subscription");
}

let groupsBefore = 0;
async function sGroups() {
  const got = await collect(res.resourceGroups.list());
  for (const g of got) check(g.id && g.name && g.location && g.properties.provisioningState === "Succeeded", `group ${J(g)}`);
  groupsBefore = got.length;
}

async function sGroupCreate() {
  const g = await res.resourceGroups.createOrUpdate(rg, { location: "eastus", tags: { purpose: "conformance" } });
  check(g.name === rg && g.location === "eastus" && g.properties.provisioningState === "Succeeded", `group ${J(g)}`);
  check(sameId(g.id, `/subscriptions/${sub}/resourceGroups/${rg}`), `id ${g.id}`);
  check((await res.resourceGroups.checkExistence(rg)).body === true, "checkExistence (HEAD) false");
  check((await res.resourceGroups.checkExistence(`${rg}-none`)).body === false, "HEAD of a missing group true");
  const got = await res.resourceGroups.get(rg);
  check(J(got.tags) === J({ purpose: "conformance" }), `tags ${J(got.tags)}`);
  const all = await collect(res.resourceGroups.list());
  check(all.length === groupsBefore + 1, `group count ${all.length}, expected ${groupsBefore + 1}`);
}

let vaultSeen = [];
async function sVaultCreate() {
  const oid = objectId || conn.client_id;
  const params = {
    location: "eastus",
    tags: { purpose: "conformance" },
    properties: {
      tenantId: tenant,
      sku: { family: "A", name: "standard" },
      accessPolicies: [{ tenantId: tenant, objectId: oid, permissions: { secrets: ["all"], keys: [], certificates: [] } }],
      // explicit: from api-version 2026-02-01 a new vault defaults to RBAC,
      // and this scenario authorizes the data plane with the access policy
      enableRbacAuthorization: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 7,
    },
  };
  const onResponse = (raw) => {
    let ps;
    try {
      ps = (raw.parsedBody ?? JSON.parse(raw.bodyAsText || "{}"))?.properties?.provisioningState;
    } catch {
      ps = "?";
    }
    vaultSeen.push(`${raw.request.method} ${raw.status} ${ps}`);
  };
  const poller = kv.vaults.createOrUpdate(rg, vaultName, params, { updateIntervalInMs: 1000, onResponse });
  const v = await waitLro(poller, "vault create");
  console.log(`# vault create responses: ${vaultSeen.join("; ")}`);
  check(v.properties.provisioningState === "Succeeded", `provisioningState ${v.properties.provisioningState}`);
  const wantUri = `https://${vaultName}${conn.vault_dns_suffix}:${conn.port}/`;
  check(v.properties.vaultUri === wantUri, `vaultUri ${v.properties.vaultUri}, expected ${wantUri}`);
  check(v.name === vaultName && v.type === "Microsoft.KeyVault/vaults", `name/type ${v.name} ${v.type}`);
  check(sameId(v.id, `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${vaultName}`), `id ${v.id}`);
  check(v.properties.sku.family === "A" && v.properties.sku.name === "standard", "sku");
  check(v.properties.tenantId === tenant, "tenantId");
  check(v.properties.accessPolicies.length === 1 && v.properties.accessPolicies[0].objectId === oid, "access policies");
  check(v.properties.enableRbacAuthorization === false, `enableRbacAuthorization ${v.properties.enableRbacAuthorization}`);
  check(v.properties.softDeleteRetentionInDays === 7, `retention ${v.properties.softDeleteRetentionInDays}`);
  vault = v;
}

// The simulator's control endpoint (not Azure): run-time settings.
async function control(path, body) {
  const r = await fetch(conn.control + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  check(r.ok, `control ${path}: HTTP ${r.status}`);
  return r.json();
}

// A vault on Azure RBAC: its creator (Owner of the subscription, which grants
// no data access) is refused with ForbiddenByRbac until a data role is
// assigned and has propagated; then the read passes.
async function sRbac() {
  const name = `${vaultName}rbac`;
  const v = await waitLro(kv.vaults.createOrUpdate(rg, name, {
    location: "eastus",
    properties: { tenantId: tenant, sku: { family: "A", name: "standard" }, enableRbacAuthorization: true },
  }, { updateIntervalInMs: 1000 }), "RBAC vault create");
  check(v.properties.enableRbacAuthorization === true, `enableRbacAuthorization ${v.properties.enableRbacAuthorization}`);
  const rsc = new SecretClient(v.properties.vaultUri, cred);
  // full: the error carries Key Vault's body (getSecret does; the pager of
  // listPropertiesOfSecrets only throws the status and the code).
  const refused = async (what, fn, full = true) => {
    let err = null;
    try {
      await fn();
    } catch (e) {
      err = e;
    }
    check(err !== null, `${what} without a role succeeded`);
    check(err.statusCode === 403 && err.code === "Forbidden", `${what}: HTTP ${err.statusCode} ${err.code}`);
    if (!full) return;
    // The SDK's deserialized error (innerError) or the raw body (innererror).
    const body = err.details?.error || JSON.parse(err.response?.bodyAsText || "{}").error || {};
    const inner = (body.innerError || body.innererror || {}).code;
    check(body.code === "Forbidden" && inner === "ForbiddenByRbac", `${what}: ${body.code} ${inner}`);
    check(/Action: 'Microsoft\.KeyVault\/vaults\/secrets\//.test(body.message || ""), `message ${body.message}`);
  };

  await refused("getSecret", () => rsc.getSecret("first"));
  await refused("listPropertiesOfSecrets", () => collect(rsc.listPropertiesOfSecrets()), false);

  const authz = new AuthorizationManagementClient(cred, sub, { endpoint: arm, $host: arm, credentialScopes: [armScope] });
  // The SDK's {scope} is an id without its leading slash (as its samples).
  const scope = v.id.replace(/^\/+/, "");
  const roles = await collect(authz.roleDefinitions.list(scope, { filter: "roleName eq 'Key Vault Secrets Officer'" }));
  check(J(roles.map((r) => r.name)) === J(["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"]), `role definitions ${J(roles)}`);
  check(roles[0].roleName === "Key Vault Secrets Officer" && roles[0].roleType === "BuiltInRole", `role ${J(roles[0])}`);
  await control("/config", { rbac_delay_ms: 2000 });
  const raName = randomUUID();
  const ra = await authz.roleAssignments.create(scope, raName, {
    roleDefinitionId: roles[0].id, principalId: objectId, principalType: "ServicePrincipal",
  });
  const tAssigned = Date.now();
  check(ra.name === raName && sameId(ra.scope, v.id) && ra.principalId === objectId, `created ${J(ra)}`);
  const at = await collect(authz.roleAssignments.listForScope(scope, { filter: "atScope()" }));
  check(at.some((a) => a.name === raName), `listForScope atScope(): ${J(at.map((a) => a.name))}`);
  const mine = await collect(authz.roleAssignments.listForSubscription({ filter: `principalId eq '${objectId}'` }));
  check(mine.some((a) => a.name === raName), `listForSubscription principalId eq: ${J(mine.map((a) => a.name))}`);
  if (Date.now() - tAssigned < 1500) await refused("getSecret inside the propagation delay", () => rsc.getSecret("first"));
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await rsc.setSecret("first", "rbac-ok");
      break;
    } catch (e) {
      if (e.statusCode !== 403 || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const waited = (Date.now() - tAssigned) / 1000;
  console.log(`# role effective after ${waited.toFixed(1)} s (rbac_delay_ms 2000)`);
  check(waited >= 1.5, `the role granted after ${waited} s, before the propagation delay`);
  check((await rsc.getSecret("first")).value === "rbac-ok", "read after the role");
  await authz.roleAssignments.delete(scope, raName);
  await control("/config", { rbac_delay_ms: 0 });
  await refused("getSecret after the assignment was deleted", () => rsc.getSecret("first"));
}

async function sVaultCreateWire() {
  check(vaultSeen.length > 0 && ["PUT 200 RegisteringDns", "PUT 200 Succeeded"].includes(vaultSeen[0]),
    `first response ${J(vaultSeen[0])}, real Azure: 'PUT 200 RegisteringDns'`);
}

async function sNameCheck() {
  let r = await kv.vaults.checkNameAvailability({ name: vaultName, type: "Microsoft.KeyVault/vaults" });
  check(r.nameAvailable === false && r.reason === "AlreadyExists", `taken name: ${J(r)}`);
  r = await kv.vaults.checkNameAvailability({ name: `confjsfree${run}`, type: "Microsoft.KeyVault/vaults" });
  check(r.nameAvailable === true, `free name: ${J(r)}`);
}

async function sVaultList() {
  const bySub = (await collect(kv.vaults.listBySubscription())).filter((v) => v.name === vaultName);
  check(bySub.length === 1 && sameId(bySub[0].id, vault.id), `listBySubscription ${J(bySub)}`);
  check(bySub[0].properties.vaultUri === vault.properties.vaultUri, "vaultUri in list");
  const generic = (await collect(kv.vaults.list())).filter((v) => v.name === vaultName);
  check(generic.length === 1 && sameId(generic[0].id, vault.id), `/resources filter ${J(generic)}`);
  check(generic[0].type === "Microsoft.KeyVault/vaults" && generic[0].location === "eastus", "generic item");
  const inRg = (await collect(kv.vaults.listByResourceGroup(rg))).map((v) => v.name);
  check(J(inRg) === J([vaultName]), `listByResourceGroup ${J(inRg)}`);
}

async function sVaultGet() {
  const v = await kv.vaults.get(rg, vaultName);
  check(v.id === vault.id && v.properties.provisioningState === "Succeeded", "get");
  check(J(v.tags) === J({ purpose: "conformance" }), `tags ${J(v.tags)}`);
  let err = null;
  try {
    await kv.vaults.get(rg, `${vaultName}x`);
  } catch (e) {
    err = e;
  }
  check(err && err.statusCode === 404, `missing vault: ${err ? err.statusCode : "no error"}`);
}

async function sSecretSet() {
  sc = new SecretClient(vault.properties.vaultUri, cred);
  let s = await sc.setSecret("rot", "v1", { contentType: "text/plain", tags: { k: "v" } });
  check(s.value === "v1" && s.name === "rot", `set ${s.name}`);
  check(s.properties.contentType === "text/plain" && J(s.properties.tags) === J({ k: "v" }), "props");
  check(HEX32.test(s.properties.version || ""), `version ${s.properties.version}`);
  check(s.properties.id === `${vault.properties.vaultUri}secrets/rot/${s.properties.version}`, `id ${s.properties.id}`);
  check(s.properties.enabled === true && s.properties.createdOn instanceof Date, "attributes");
  check(s.properties.recoveryLevel, "no recoveryLevel");
  versions.push(s.properties.version);
  for (const i of [2, 3]) {
    s = await sc.setSecret("rot", `v${i}`);
    versions.push(s.properties.version);
  }
  check(new Set(versions).size === 3, `versions not distinct: ${J(versions)}`);
}

async function sSecretMany() {
  for (let i = 0; i < 27; i++) {
    const name = `page-${String(i).padStart(2, "0")}`;
    const s = await sc.setSecret(name, `p${i}`);
    check(s.value === `p${i}`, `set ${name}`);
  }
}

async function sSecretGet() {
  let s = await sc.getSecret("rot");
  check(s.value === "v3" && s.properties.version === versions[2], `latest ${s.value} ${s.properties.version}`);
  s = await sc.getSecret("rot", { version: versions[0] });
  check(s.value === "v1" && s.properties.contentType === "text/plain", `v1 ${s.value}`);
  let err = null;
  try {
    await sc.getSecret("conf-missing");
  } catch (e) {
    err = e;
  }
  check(err && err.statusCode === 404 && err.code === "SecretNotFound", `missing: ${err ? err.statusCode + " " + err.code : "no error"}`);
}

async function sSecretList() {
  const want = ["rot", ...Array.from({ length: 27 }, (_, i) => `page-${String(i).padStart(2, "0")}`)].sort();
  const names = (await collect(sc.listPropertiesOfSecrets())).map((p) => p.name).sort();
  check(J(names) === J(want), `listed ${names.length} names, expected ${want.length}`);
  const sizes = [];
  for await (const page of sc.listPropertiesOfSecrets().byPage({ maxPageSize: 10 })) sizes.push(page.length);
  check(sizes.reduce((a, b) => a + b, 0) === want.length, `paged total ${J(sizes)}`);
  check(sizes.length >= 3 && Math.max(...sizes) <= 10, `maxPageSize=10 gave pages ${J(sizes)}`);
}

async function sSecretVersions() {
  const vs = (await collect(sc.listPropertiesOfSecretVersions("rot"))).map((p) => p.version).sort();
  check(J(vs) === J([...versions].sort()), `versions ${J(vs)}`);
  const sizes = [];
  for await (const page of sc.listPropertiesOfSecretVersions("rot").byPage({ maxPageSize: 1 })) sizes.push(page.length);
  check(J(sizes) === J([1, 1, 1]), `maxPageSize=1 gave pages ${J(sizes)}`);
}

async function sSecretDelete() {
  const poller = await sc.beginDeleteSecret("rot", { intervalInMs: 1000 });
  const d = await waitLro(poller, "delete secret");
  check(d.name === "rot" && d.properties.recoveryId === `${vault.properties.vaultUri}deletedsecrets/rot`,
    `recoveryId ${d.properties.recoveryId}`);
  check(d.properties.deletedOn instanceof Date && d.properties.scheduledPurgeDate > d.properties.deletedOn, "dates");
  const g = await sc.getDeletedSecret("rot");
  check(g.properties.version === versions[2], `deleted version ${g.properties.version}`);
  const deleted = (await collect(sc.listDeletedSecrets())).map((s) => s.name);
  check(deleted.includes("rot"), `listDeletedSecrets ${J(deleted)}`);
  let err = null;
  try {
    await sc.getSecret("rot");
  } catch (e) {
    err = e;
  }
  check(err && err.statusCode === 404, "a deleted secret can still be read");
  err = null;
  try {
    await sc.setSecret("rot", "x");
  } catch (e) {
    err = e;
  }
  check(err && err.statusCode === 409, `set on a deleted name: ${err ? err.statusCode : "succeeded"}`);
}

async function sSecretRecover() {
  const poller = await sc.beginRecoverDeletedSecret("rot", { intervalInMs: 1000 });
  const r = await waitLro(poller, "recover secret");
  check(r.name === "rot" && r.version === versions[2], `recovered ${r.name} ${r.version}`);
  const s = await sc.getSecret("rot");
  check(s.value === "v3", `value after recover ${s.value}`);
}

// The management-plane secret (secrets.json): a new data-plane version
// written through Resource Manager, never the value back.
async function sArmSecrets() {
  const s = await kv.secrets.createOrUpdate(rg, vaultName, "arm-made", {
    properties: { value: "arm-v1", contentType: "text/plain" }, tags: { via: "arm" } });
  check(s.name === "arm-made" && s.properties.value === undefined, `create ${s.name} value ${s.properties.value}`);
  check(sameId(s.id, `${vault.id}/secrets/arm-made`) && s.type === "Microsoft.KeyVault/vaults/secrets", `id/type ${s.id} ${s.type}`);
  const uri = `${vault.properties.vaultUri}secrets/arm-made`;
  check(s.properties.secretUri === uri, `secretUri ${s.properties.secretUri}`);
  const ver = (s.properties.secretUriWithVersion || "").split("/").pop();
  check(HEX32.test(ver) && s.properties.secretUriWithVersion === `${uri}/${ver}`, `secretUriWithVersion ${s.properties.secretUriWithVersion}`);
  const d = await sc.getSecret("arm-made");
  check(d.value === "arm-v1" && d.properties.version === ver, `data plane reads ${d.value} ${d.properties.version}`);
  const names = (await collect(kv.secrets.list(rg, vaultName))).map((x) => x.name);
  check(names.includes("arm-made") && names.includes("rot") && names.length >= 29, `list: ${names.length} names`);
  const sizes = [];
  for await (const page of kv.secrets.list(rg, vaultName, { top: 10 }).byPage()) sizes.push(page.length);
  check(sizes.length >= 3 && Math.max(...sizes) <= 10 && sizes.reduce((a, b) => a + b, 0) === names.length, `top=10 pages ${J(sizes)}`);
  const u = await kv.secrets.update(rg, vaultName, "arm-made", { properties: { contentType: "password" } });
  check(u.properties.contentType === "password" && u.properties.secretUriWithVersion.endsWith(ver), `update ${u.properties.contentType}`);
  const g = await kv.secrets.get(rg, vaultName, "arm-made");
  check(g.properties.value === undefined && g.properties.contentType === "password", "get");
}

async function sVnet() {
  let p = await net.virtualNetworks.beginCreateOrUpdate(rg, vnetName,
    { location: "eastus", addressSpace: { addressPrefixes: ["10.40.0.0/16"] } }, { updateIntervalInMs: 1000 });
  const v = await waitLro(p, "vnet create");
  check(v.provisioningState === "Succeeded" && J(v.addressSpace.addressPrefixes) === J(["10.40.0.0/16"]), `vnet ${J(v)}`);
  p = await net.subnets.beginCreateOrUpdate(rg, vnetName, subnetName,
    { addressPrefix: "10.40.1.0/24", privateEndpointNetworkPolicies: "Disabled" }, { updateIntervalInMs: 1000 });
  subnet = await waitLro(p, "subnet create");
  check(subnet.provisioningState === "Succeeded", `subnet state ${subnet.provisioningState}`);
  check(subnet.privateEndpointNetworkPolicies === "Disabled", `policies ${subnet.privateEndpointNetworkPolicies}`);
}

async function sPe() {
  const p = await net.privateEndpoints.beginCreateOrUpdate(rg, peName, {
    location: "eastus",
    subnet: { id: subnet.id },
    privateLinkServiceConnections: [{ name: "conf-conn", privateLinkServiceId: vault.id, groupIds: ["vault"] }],
  }, { updateIntervalInMs: 1000 });
  pe = await waitLro(p, "private endpoint create");
  check(pe.provisioningState === "Succeeded", `state ${pe.provisioningState}`);
  check(pe.privateLinkServiceConnections.length === 1, "connections");
  const c = pe.privateLinkServiceConnections[0];
  check(J(c.groupIds) === J(["vault"]) && sameId(c.privateLinkServiceId, vault.id), `connection ${J(c)}`);
  check(c.privateLinkServiceConnectionState.status === "Approved", `status ${c.privateLinkServiceConnectionState.status}`);
  check(sameId(pe.subnet.id, subnet.id), `subnet id ${pe.subnet.id}`);
  const got = await net.privateEndpoints.get(rg, peName);
  check(got.id === pe.id, "get pe");
}

async function sPec() {
  const cons = await collect(kv.privateEndpointConnections.listByResource(rg, vaultName));
  check(cons.length === 1, `${cons.length} connections`);
  const c = cons[0];
  check(sameId(c.privateEndpoint?.id, pe.id), `privateEndpoint.id ${c.privateEndpoint?.id}`);
  check(c.privateLinkServiceConnectionState?.status === "Approved", "status");
  check(c.provisioningState === "Succeeded", `provisioningState ${c.provisioningState}`);
  check(c.id.toLowerCase().startsWith(`${vault.id.toLowerCase()}/privateendpointconnections/`), `id ${c.id}`);
  const one = await kv.privateEndpointConnections.get(rg, vaultName, c.id.split("/").pop());
  check(one.id === c.id, "get connection");
  const v = await kv.vaults.get(rg, vaultName);
  const pecs = v.properties.privateEndpointConnections || [];
  check(pecs.length === 1 && sameId(pecs[0].privateEndpoint?.id, pe.id), `vault.properties.privateEndpointConnections ${J(pecs)}`);
}

await step("ClientSecretCredential getToken (authorityHost + disableInstanceDiscovery)", sToken, true);
await step("access token is a JWT with tid/oid/aud", sTokenJwt);
await step("wrong client secret is refused (invalid_client)", sWrongSecret);
await step("ClientCertificateCredential getToken + subscriptions", sCertificate);
await step("SubscriptionClient list + get", sSubscriptions, true);
await step("resourceGroups.list", sGroups);
await step("resourceGroups createOrUpdate / checkExistence / get", sGroupCreate, true);
await step("vaults.createOrUpdate + poller (RegisteringDns -> Succeeded)", sVaultCreate, true);
await step("vault create PUT answered 200 + RegisteringDns", sVaultCreateWire);
await step("vaults.checkNameAvailability", sNameCheck);
await step("vaults listBySubscription / list / listByResourceGroup", sVaultList);
await step("vaults.get (and 404 for a missing vault)", sVaultGet);
await step("RBAC vault: ForbiddenByRbac, roleAssignments create/list, read after propagation", sRbac);
await step("SecretClient.setSecret (challenge, 3 versions)", sSecretSet, true);
await step("set 27 more secrets", sSecretMany);
await step("getSecret latest / by version / missing", sSecretGet);
await step("listPropertiesOfSecrets (all pages, maxPageSize)", sSecretList);
await step("listPropertiesOfSecretVersions", sSecretVersions);
await step("beginDeleteSecret + deleted get/list + 409 on set", sSecretDelete);
await step("beginRecoverDeletedSecret", sSecretRecover);
await step("ARM secrets: createOrUpdate (new data-plane version) / list (pages) / update / get", sArmSecrets);
await step("virtualNetworks + subnets beginCreateOrUpdate", sVnet, true);
await step("privateEndpoints.beginCreateOrUpdate (groupIds vault)", sPe, true);
await step("privateEndpointConnections listByResource / get, vault shows it", sPec);
finish();
