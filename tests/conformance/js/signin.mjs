// tests/conformance/js/signin.mjs — kvdeck-sim's sign-in surfaces (issue #8)
// with @azure/identity and @azure/keyvault-secrets from npm: DeviceCodeCredential
// (the prompt callback approves through the simulator's control endpoint)
// serving ARM and a vault, and the Key Vault claims challenge
// (continuous access evaluation: the SDK asks for a token with the claims and
// retries).
//
// Usage: node signin.mjs CONNECTION_JSON (environment as for scenario.mjs).
// Prints TAP; exit 0 all passed, 1 otherwise.
import { readFileSync } from "node:fs";
import https from "node:https";
import { DeviceCodeCredential } from "@azure/identity";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { SecretClient } from "@azure/keyvault-secrets";

const conn = JSON.parse(readFileSync(process.argv[2], "utf8"));
const arm = conn.arm.replace(/\/+$/, "");
const armScope = conn.arm_audience.replace(/\/+$/, "") + "/.default";
const vaultUrl = `https://kv-contoso-dev${conn.vault_dns_suffix}:${conn.port}/`;
const ca = readFileSync(conn.ca);
const claimsOf = (t) => JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString());

let n = 0;
let failed = 0;
const t0 = Date.now();
function check(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}
async function step(desc, fn) {
  const t = Date.now();
  try {
    await fn();
    n += 1;
    console.log(`ok ${n} - ${desc} (${Date.now() - t} ms)`);
  } catch (e) {
    n += 1;
    failed += 1;
    console.log(`not ok ${n} - ${desc} (${Date.now() - t} ms)`);
    for (const line of String(e && e.stack ? e.stack : e).split("\n").slice(0, 8)) console.log(`#   ${line}`);
  }
}

// The simulator's control endpoint (not Azure), directly on 127.0.0.1.
function control(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = https.request(conn.control + path, {
      method, ca, agent: false,
      headers: data ? { "Content-Type": "application/json", "Content-Length": data.length } : {},
    }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve(text ? JSON.parse(text) : null));
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

let prompts = 0;
const userCred = new DeviceCodeCredential({
  tenantId: conn.tenant,
  clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  authorityHost: conn.login,
  disableInstanceDiscovery: true,
  userPromptCallback: async (info) => {
    prompts += 1;
    const listed = (await control("GET", "/device")).filter((d) => d.user_code === info.userCode);
    check(listed.length === 1 && listed[0].state === "pending", `pending code listed: ${JSON.stringify(listed)}`);
    await control("POST", "/device", { user_code: info.userCode, action: "approve" });
  },
});

await step("DeviceCodeCredential: approved through the control endpoint; the user's token", async () => {
  const tok = await userCred.getToken(armScope);
  const cl = claimsOf(tok.token);
  check(cl.upn === conn.user && cl.oid === conn.user_object_id, `upn/oid ${cl.upn} ${cl.oid}`);
  const subs = [];
  for await (const s of new SubscriptionClient(userCred, { endpoint: arm, credentialScopes: [armScope] }).subscriptions.list()) subs.push(s);
  check(subs.length === conn.subscriptions.length, `subscriptions ${subs.length}`);
});

// @azure/identity 4's DeviceCodeCredential signs in again for a second
// resource instead of redeeming the refresh token (no prompt count asserted
// here; the Python client proves the refresh path).
await step("the device-code user reads a vault", async () => {
  const names = [];
  for await (const p of new SecretClient(vaultUrl, userCred).listPropertiesOfSecrets()) names.push(p.name);
  check(names.length > 0, "no secrets");
});

await step("Key Vault claims challenge (insufficient_claims): the SDK asks for the claims and retries", async () => {
  const sc = new SecretClient(vaultUrl, userCred);
  const first = [];
  for await (const p of sc.listPropertiesOfSecrets()) first.push(p.name);
  await control("POST", "/faults", { faults: ["claims-challenge,count=1,area=vault"] });
  try {
    const s = await sc.getSecret(first[0]);
    check(s.name === first[0], `secret ${s.name}`);
    const rules = (await control("GET", "/faults")).faults;
    check(rules[0].fired === 1, `rule ${JSON.stringify(rules)}`);
  } finally {
    await control("DELETE", "/faults");
  }
});

// Not yet: @azure/identity 4's ManagedIdentityCredential (msal-node) against
// the IMDS and App Service endpoints ends in "network_error" here; the Python
// client proves both forms (python/signin.py).

console.log(`1..${n}`);
console.log(`# js-signin: ${n - failed} passed, ${failed} failed, total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed === 0 ? 0 : 1);
