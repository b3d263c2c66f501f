#!/usr/bin/env python3
"""tests/fuzz/make-corpus.py — writes the seed corpora of the libFuzzer
targets (tests/fuzz/corpus/TARGET/, one file per seed, named by the SHA-1
of its bytes as libFuzzer names them) from the recorded Azure traffic in
shared/azure/recordings (VCR.py cassettes: response bodies and headers,
request URLs and bodies) and from hand-written answers of kvdeck-sim's
shapes (token endpoint, device code, managed identity, az CLI, cloud and
config files, command lines) for what the recordings lack.

    tests/fuzz/make-corpus.py [RECORDINGS-DIR] [OUT-DIR]

Defaults: ../shared/azure/recordings beside the tree, tests/fuzz/corpus.
Bodies are capped at 16 KiB and each target at 120 seeds so that the
committed corpus stays small (well under 2 MB). The output is
deterministic: rerunning it on the same recordings changes nothing.
"""
import hashlib
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
REC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    TOP, '..', 'shared', 'azure', 'recordings')
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'corpus')
CAP = 16384
PER_TARGET = 120

seeds = {}


def add(target, data):
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    if len(data) > CAP:
        return
    seeds.setdefault(target, {})[hashlib.sha1(data).hexdigest()] = data


def sel(n, body):
    return bytes([n]) + (body.encode() if isinstance(body, str) else body)


# fuzz-arm selectors: the decoder table of fuzz-arm.c
ARM = ['subscriptions', 'tenants', 'resourcegroups', 'vaults',
       'privateendpointconnections', 'locations', 'deletedvaults',
       'checknameavailability', 'roleassignments', 'subnets',
       'virtualnetworks', 'privateendpoints', 'privatednszones',
       'virtualnetworklinks', 'permissions', 'privatednszonegroups',
       'secrets']


def arm_selector(uri):
    path = uri.split('?')[0].lower()
    best, pos = 3, -1
    for i, word in enumerate(ARM):
        p = path.rfind('/' + word)
        if p > pos:
            best, pos = i, p
    return best


def cassettes():
    for root, _, files in os.walk(REC):
        for f in sorted(files):
            if f.endswith('.yaml'):
                with open(os.path.join(root, f), encoding='utf-8') as fh:
                    yield yaml.safe_load(fh)


def body_of(part):
    b = part.get('body')
    if isinstance(b, dict):
        b = b.get('string')
    if isinstance(b, bytes):
        b = b.decode('utf-8', 'replace')
    return b or ''


def header_block(resp):
    st = resp.get('status', {})
    lines = ['HTTP/1.1 %s %s' % (st.get('code', 200), st.get('message', 'OK'))]
    for k, vals in sorted((resp.get('headers') or {}).items()):
        for v in vals if isinstance(vals, list) else [vals]:
            lines.append('%s: %s' % (k, v))
    return '\r\n'.join(lines) + '\r\n\r\n'


def from_recordings():
    for cas in cassettes():
        inter = cas.get('interactions') or []
        for i, it in enumerate(inter):
            req, resp = it.get('request', {}), it.get('response', {})
            uri = req.get('uri', '')
            body = body_of(resp)
            hdr = {k.lower(): v for k, v in (resp.get('headers') or {}).items()}
            code = resp.get('status', {}).get('code', 200)
            add('fuzz-url', uri)
            add('fuzz-http-header', header_block(resp))
            for h in ('location', 'azure-asyncoperation'):
                for v in hdr.get(h, []):
                    add('fuzz-url', v + '\0' + uri)
            for v in hdr.get('www-authenticate', []):
                add('fuzz-challenge', v)
            rbody = body_of(req)
            if rbody.startswith('{'):
                add('fuzz-sim', sel(2, rbody))
            add('fuzz-sim-router', router_seed(req.get('method', 'GET'), uri, rbody))
            if not body.startswith('{'):
                continue
            try:
                doc = json.loads(body)
            except ValueError:
                continue
            if isinstance(doc, dict) and doc.get('nextLink'):
                add('fuzz-url', doc['nextLink'])
            if '.vault.azure.net' in uri:
                path = uri.split('?')[0].lower()
                s = 1 if '/versions' in path else 2 if 'deleted' in path else 0
                add('fuzz-secrets', sel(s, body))
            else:
                add('fuzz-arm', sel(arm_selector(uri), body))
            # a long-running operation: the write, then its polls
            if req.get('method') in ('PUT', 'POST', 'DELETE', 'PATCH') and (
                    'azure-asyncoperation' in hdr or 'location' in hdr):
                method = {'PUT': 0, 'POST': 1, 'DELETE': 2, 'PATCH': 3}
                steps = []
                for it2 in inter[i:i + 6]:
                    r2 = it2.get('response', {})
                    h2 = {k.lower(): v for k, v in
                          (r2.get('headers') or {}).items()}
                    steps.append('%s\n%s\n%s\n%s\n%s' % (
                        r2.get('status', {}).get('code', 200),
                        (h2.get('azure-asyncoperation') or [''])[0][:300],
                        (h2.get('location') or [''])[0][:300],
                        (h2.get('retry-after') or [''])[0],
                        body_of(r2)[:4000]))
                add('fuzz-lro', sel(method[req['method']], '\n--\n'.join(steps)))
            if code >= 400:
                add('fuzz-arm', sel(0, body))


TOKENS = [
    '{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,'
    '"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.c2ln"}',
    '{"token_type":"Bearer","expires_in":"3599","access_token":"abc",'
    '"refresh_token":"rt","id_token":"eyJhbGciOiJub25lIn0.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJhQGIuYyJ9.",'
    '"scope":"https://vault.azure.net/.default offline_access"}',
    '{"device_code":"DAQABAAEAAAD","user_code":"ABCD-EFGH",'
    '"verification_uri":"https://microsoft.com/devicelogin","expires_in":900,'
    '"interval":5,"message":"To sign in, use a web browser to open the page '
    'https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate."}',
    '{"device_code":"x","user_code":"y","verification_url":"https://aka.ms/devicelogin","expires_in":"900","interval":"5"}',
    '{"error":"authorization_pending","error_description":"AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.\\r\\nTrace ID: 1\\r\\nCorrelation ID: 2\\r\\nTimestamp: 2026-01-01 00:00:00Z","error_codes":[70016]}',
    '{"error":"slow_down"}', '{"error":"authorization_declined"}',
    '{"error":"expired_token"}', '{"error":"bad_verification_code"}',
    '{"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity."}',
    '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}',
    '{"access_token":"tok","client_id":"c","expires_in":"86399","expires_on":"1767312000","ext_expires_in":"86399","not_before":"1767225600","resource":"https://vault.azure.net","token_type":"Bearer"}',
    '{"access_token":"tok","expires_on":1767312000,"resource":"https://management.azure.com/"}',
    '{"error":"invalid_request","error_description":"Identity not found"}',
    '{"statusCode":400,"message":"Unable to load the proper Managed Identity."}',
    '{"error":"invalid_request","error_description":"Required metadata header not specified"}',
    '{"accessToken":"tok","expiresOn":"2026-01-01 01:00:00.000000","expires_on":1767229200,"subscription":"s","tenant":"t","tokenType":"Bearer"}',
    '{"accessToken":"tok","expiresOn":"2026-01-01 01:00:00.000000","tokenType":"Bearer"}',
]

CHALLENGES = [
    'Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"',
    'Bearer authorization="https://login.microsoftonline.com/t", scope="https://vault.azure.net/.default"',
    'Bearer authorization_uri="https://login.windows.net/t/", error="invalid_token", error_description="x"',
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTcwMDAwMDAwMCJ9fX0="',
    'PoP nonce="abc", Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"',
]

RETRY = ['0', '1', '30', '120', '-1', '1.5', 'Wed, 21 Oct 2015 07:28:00 GMT',
         'Thu, 01 Jan 2026 00:00:10 GMT', '99999999999999999999']

CLOUDS = [
    '{"name":"AzureStackUser","endpoints":{"resourceManager":"https://management.local.azurestack.external/",'
    '"activeDirectory":"https://login.microsoftonline.com","activeDirectoryResourceId":"https://management.adfs.azurestack.local/4de154de",'
    '"management":"https://management.local.azurestack.external/","microsoftGraphResourceId":"https://graph.microsoft.com/"},'
    '"suffixes":{"keyvaultDns":".vault.local.azurestack.external"}}',
    '{"endpoints":{"resourceManager":"https://127.0.0.1:8443","activeDirectory":"https://127.0.0.1:8443/adfs",'
    '"activeDirectoryResourceId":"https://management.core.windows.net/"},"suffixes":null}',
]

CONFIGS = [
    '# kvdeck config\ncloud = AzureCloud\ntenant = 72f988bf-86f1-41af-91ab-2d7cd011db47\n'
    'client-id = 00000000-0000-0000-0000-000000000001\nclient-secret = s3cret\nauth = secret\n'
    'subscription = Production\ngroup = rg-app\nvault = kv-app\ncolor = always\nascii = no\n'
    'mouse = yes\nreveal-seconds = 5\nresolve = kv.vault.azure.net:443:127.0.0.1\n'
    'bind C-d page-down\nbind j none\nbind F5 refresh\nstyle selected black cyan bold reverse\n',
    'auth = device-code\ndevice-client-id = 04b07795-8ddb-461a-bbee-02f9e1bf7b46\nmanaged-identity = yes\n'
    'client-certificate = /tmp/cert.pem\nca-file = /etc/ssl/certs/ca-certificates.crt\n'
    'bind M-x quit\nbind PgDn page-down\nbind Enter open\nstyle title white\n',
]

CLI = [
    (0, 'set\0kv-app\0db-password\0--value-file\0/tmp/v\0--content-type\0text/plain\0--expires\0'
        '2027-01-01\0--tags\0env=prod\0team=a\0--dry-run\0--json'),
    (0, 'rotate\0kv\0name\0--generate\0alnum:32\0--retire-old\0disable\0--yes'),
    (0, 'show\0kv\0name\0--version\0abc\0--show-value'),
    (0, 'set\0kv\0n\0--value=x'),
    (1, 'create\0-n\0kv-new\0-g\0rg\0-l\0westeurope\0--sku\0premium\0--enable-rbac-authorization\0'
        'false\0--retention-days\07\0--enable-purge-protection\0--public-network-access\0Disabled\0--no-wait'),
    (2, 'set\0kv\0--default-action\0Deny\0--add-ip\010.0.0.0/24\0--remove-subnet\0/subscriptions/s/x'),
    (3, 'attach\0kv\0--subnet\0/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/'
        'virtualNetworks/v/subnets/s\0--dns-zone\0/z\0--manual-request\0please\0--close-public-access'),
]

SIM = [
    (0, 'grant_type=client_credentials&client_id=00000000-0000-0000-0000-000000000001&'
        'client_secret=s3cret&scope=https%3A%2F%2Fvault.azure.net%2F.default'),
    (0, 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=DAQ&'
        'client_id=04b07795&claims=%7B%22access_token%22%3A%7B%22nbf%22%3A%7B%22essential%22%3Atrue%2C%22value%22%3A%221700000000%22%7D%7D%7D'),
    (0, 'grant_type=refresh_token&refresh_token=rt&scope=openid+offline_access+https://management.azure.com//.default&client_info=1'),
    (0, 'resource=https%3A%2F%2Fvault.azure.net&grant_type=client_credentials&client_assertion_type='
        'urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c'),
    (1, 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCIsImV4cCI6MTc2NzMxMjAwMH0.c2lnbmF0dXJl'),
    (2, '{"location":"westeurope","tags":{"env":"prod"},"properties":{"tenantId":"t","sku":{"family":"A","name":"standard"}}}'),
    (3, '{"area":"arm","method":"GET","path":"subscriptions","kind":"status","status":429,"count":2,"retryAfter":1}'),
    (3, 'arm:GET:429:count=2'), (3, '{"kind":"latency","ms":50,"probability":0.5}'),
    (4, 'provisioning-state,no-nextlink'), (4, 'scale:200'), (4, 'demo'),
    (5, '/subscriptions/S/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/KV'),
]


# fuzz-sim-router: a byte for the method (% 7) and the area (/ 7 % 6),
# "path?query", headers, empty line, body; $ARM/$KV (bearer tokens), $SUB,
# $TENANT, $CLIENT, $SECRET are filled in by the target (fuzz-sim-router.c)
METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS']
DEMO_VAULT = '/subscriptions/$SUB/resourceGroups/rg-ai-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-ai-prod'
DEMO_COG = '/subscriptions/$SUB/resourceGroups/rg-ai-prod/providers/Microsoft.CognitiveServices/accounts/contoso-ai'
JSON = 'Content-Type: application/json'
FORM = 'Content-Type: application/x-www-form-urlencoded'


DATA_PLANE = ('/secrets', '/deletedsecrets', '/keys', '/certificates')


def router_area(host, uri, headers):
    """fuzz-sim-router's area (the Host it sends to) for a request:
    0 ARM, 1 Entra ID, 2 Graph, 3 a vault, 4 managed identity, 5 the
    request's own Host header."""
    path = uri.split('?')[0].lower()
    if any(h.lower().startswith('host:') for h in headers):
        return 5
    if '.vault.' in host or '$KV' in ''.join(headers) or path.startswith(DATA_PLANE):
        return 3
    if 'login.' in host or '/oauth2/' in path or path.startswith(('/common/', '/organizations/')) \
            or '/.well-known/' in path:
        return 4 if path.startswith(('/metadata/', '/msi/')) else 1
    if 'graph.' in host or path.startswith(('/v1.0/', '/beta/')):
        return 2
    if path.startswith(('/metadata/identity', '/msi/')):
        return 4
    return 0


def router_seed(method, uri, body='', headers=None):
    if '://' in uri:
        host, _, rest = uri.split('://', 1)[1].partition('/')
        uri = '/' + rest
    else:
        host = ''
    uri = uri.replace('00000000-0000-0000-0000-000000000000', '$SUB')
    if headers is None:
        auth = '$KV' if '.vault.' in host else '$ARM'
        headers = ['Authorization: %s' % auth]
        if body:
            headers.append(FORM if not body.startswith(('{', '[')) else JSON)
    m = METHODS.index(method) if method in METHODS else 0
    m += len(METHODS) * router_area(host, uri, headers)
    return sel(m, uri + '\n' + ''.join(h + '\n' for h in headers) + '\n' + (body or ''))


ROUTER = [
    ('GET', '/subscriptions?api-version=2022-12-01', ''),
    ('GET', '/tenants?api-version=2022-12-01', ''),
    ('GET', '/subscriptions/$SUB?api-version=2022-12-01', ''),
    ('GET', '/subscriptions/$SUB/resourcegroups?api-version=2021-04-01', ''),
    ('GET', '/subscriptions/$SUB/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01&$top=25', ''),
    ('GET', '/subscriptions/$SUB/resources?$filter=resourceType eq \'Microsoft.KeyVault/vaults\'&api-version=2021-04-01', ''),
    ('GET', DEMO_VAULT + '?api-version=2023-07-01', ''),
    ('PUT', '/subscriptions/$SUB/resourceGroups/rg-ai-prod/providers/Microsoft.KeyVault/vaults/kv-fuzz-new?api-version=2023-07-01',
     '{"location":"eastus2","properties":{"tenantId":"$TENANT","sku":{"family":"A","name":"standard"},'
     '"enableRbacAuthorization":true,"enableSoftDelete":true,"softDeleteRetentionInDays":7,'
     '"publicNetworkAccess":"Disabled","networkAcls":{"defaultAction":"Deny","bypass":"AzureServices",'
     '"ipRules":[{"value":"203.0.113.0/24"}],"virtualNetworkRules":[]}},"tags":{"env":"fuzz"}}'),
    ('PATCH', DEMO_VAULT + '?api-version=2023-07-01',
     '{"properties":{"networkAcls":{"defaultAction":"Allow","ipRules":[]},"enablePurgeProtection":true}}'),
    ('DELETE', '/subscriptions/$SUB/resourceGroups/rg-ai-prod/providers/Microsoft.KeyVault/vaults/kv-fuzz-new?api-version=2023-07-01', ''),
    ('GET', '/subscriptions/$SUB/providers/Microsoft.KeyVault/deletedVaults?api-version=2023-07-01', ''),
    ('POST', '/subscriptions/$SUB/providers/Microsoft.KeyVault/locations/eastus2/deletedVaults/kv-fuzz-new/purge?api-version=2023-07-01', ''),
    ('POST', '/subscriptions/$SUB/providers/Microsoft.KeyVault/checkNameAvailability?api-version=2023-07-01',
     '{"name":"kv-contoso-ai-prod","type":"Microsoft.KeyVault/vaults"}'),
    ('GET', DEMO_VAULT + '/privateEndpointConnections?api-version=2023-07-01', ''),
    ('GET', DEMO_VAULT + '/privateLinkResources?api-version=2023-07-01', ''),
    ('GET', DEMO_VAULT + '/secrets?api-version=2023-07-01', ''),
    ('PUT', DEMO_VAULT + '/secrets/arm-fuzz?api-version=2023-07-01',
     '{"properties":{"value":"v","contentType":"text/plain","attributes":{"enabled":true}}}'),
    ('GET', DEMO_VAULT + '/providers/Microsoft.Authorization/permissions?api-version=2022-04-01', ''),
    ('GET', DEMO_VAULT + '/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()', ''),
    ('PUT', DEMO_VAULT + '/providers/Microsoft.Authorization/roleAssignments/6f8e9d2c-0000-4000-8000-00000000f022?api-version=2022-04-01',
     '{"properties":{"roleDefinitionId":"/subscriptions/$SUB/providers/Microsoft.Authorization/roleDefinitions/'
     'b86a8fe4-44ce-4948-aee5-eccb2c155cd7","principalId":"$CLIENT","principalType":"ServicePrincipal"}}'),
    ('GET', '/subscriptions/$SUB/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=roleName eq \'Key Vault Secrets Officer\'', ''),
    ('POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01',
     '{"subscriptions":["$SUB"],"query":"resources | where type =~ \'microsoft.keyvault/vaults\' | project id, name, location, properties","options":{"$top":100,"resultFormat":"objectArray"}}'),
    ('GET', '/subscriptions/$SUB/providers/Microsoft.Network/virtualNetworks?api-version=2023-05-01', ''),
    ('GET', '/subscriptions/$SUB/providers/Microsoft.Network/privateDnsZones?api-version=2020-06-01', ''),
    ('GET', '/metadata/endpoints?api-version=2022-09-01', ''),
    ('POST', '/$TENANT/oauth2/v2.0/token',
     'grant_type=client_credentials&client_id=$CLIENT&client_secret=$SECRET&scope=https%3A%2F%2Fmanagement.azure.com%2F.default'),
    ('POST', '/$TENANT/oauth2/token',
     'grant_type=client_credentials&client_id=$CLIENT&client_secret=$SECRET&resource=https%3A%2F%2Fvault.azure.net'),
    ('POST', '/$TENANT/oauth2/v2.0/devicecode',
     'client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&scope=https%3A%2F%2Fmanagement.core.windows.net%2F%2F.default+offline_access+openid+profile'),
    ('POST', '/$TENANT/oauth2/v2.0/token',
     'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&device_code=abc'),
    ('POST', '/organizations/oauth2/v2.0/token',
     'grant_type=refresh_token&client_id=04b07795-8ddb-461a-bbee-02f9e1bf7b46&refresh_token=x&scope=openid'),
    ('GET', '/$TENANT/v2.0/.well-known/openid-configuration', ''),
    ('GET', '/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/authorize', ''),
    ('GET', '/v1.0/servicePrincipals?$filter=appId eq \'$CLIENT\'', ''),
    ('GET', '/v1.0/me', ''),
    ('GET', '/secrets?api-version=7.5&maxresults=25', '', ['Authorization: $KV']),
    ('GET', '/secrets?api-version=7.5', '', []),
    ('GET', '/secrets/openai-api-key?api-version=7.5', '', ['Authorization: $KV']),
    ('GET', '/secrets/openai-api-key/versions?api-version=7.5', '', ['Authorization: $KV']),
    ('PUT', '/secrets/fuzz-new?api-version=7.5',
     '{"value":"s3cr\\u00e9t\\n","contentType":"text/plain","attributes":{"enabled":true,"exp":1893456000,"nbf":1767225600},"tags":{"rotation-days":"30"}}',
     ['Authorization: $KV', JSON]),
    ('PATCH', '/secrets/openai-api-key/?api-version=7.5',
     '{"attributes":{"enabled":false},"tags":{}}', ['Authorization: $KV', JSON]),
    ('DELETE', '/secrets/fuzz-new?api-version=7.5', '', ['Authorization: $KV']),
    ('GET', '/deletedsecrets?api-version=7.5', '', ['Authorization: $KV']),
    ('GET', '/deletedsecrets/fuzz-new?api-version=7.5', '', ['Authorization: $KV']),
    ('POST', '/deletedsecrets/fuzz-new/recover?api-version=7.5', '', ['Authorization: $KV']),
    ('DELETE', '/deletedsecrets/fuzz-new?api-version=7.5', '', ['Authorization: $KV']),
    ('POST', '/secrets/openai-api-key/backup?api-version=7.5', '', ['Authorization: $KV']),
    ('POST', '/secrets/restore?api-version=7.5', '{"value":"AAAA"}', ['Authorization: $KV', JSON]),
    ('GET', '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F',
     '', ['Metadata: true']),
    ('GET', '/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net', '',
     ['X-IDENTITY-HEADER: x']),
    ('GET', '/subscriptions/$SUB/providers/Microsoft.CognitiveServices/accounts?api-version=2023-05-01', ''),
    ('GET', DEMO_COG + '?api-version=2022-12-01', ''),
    ('POST', DEMO_COG + '/listKeys?api-version=2023-05-01', ''),
    ('POST', DEMO_COG + '/regenerateKey?api-version=2023-05-01', '{"keyName":"Key2"}'),
    ('GET', '/openai/models?api-version=2024-10-21', '',
     ['Host: contoso-ai.openai.localhost:8443', 'api-key: 0123456789abcdef0123456789abcdef']),
    ('GET', '/_sim', '', []),
    ('GET', '/_sim/requests', '', []),
    ('GET', '/_sim/count', '', []),
]


def synthetic():
    for t in TOKENS:
        for s in (0, 1, 2):
            add('fuzz-token', sel(s, t))
    for c in CHALLENGES:
        add('fuzz-challenge', c)
        add('fuzz-http-header', 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: %s\r\n'
            'x-ms-request-id: 1\r\nRetry-After: 5\r\n\r\n' % c)
    for r in RETRY:
        add('fuzz-url', r)
    add('fuzz-http-header', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\n'
        'retry-after-ms: 1500\r\nx-ms-retry-after-ms: 20\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n')
    for c in CLOUDS:
        add('fuzz-cloud', c)
        add('fuzz-cloud', c + '\0contoso.onmicrosoft.com')
        add('fuzz-cloud', c + '\072f988bf-86f1-41af-91ab-2d7cd011db47')
    for c in CONFIGS:
        add('fuzz-config', sel(0, c))
        add('fuzz-config', sel(1, c))
    for s, c in CLI:
        add('fuzz-cli-args', sel(s, c))
    for s, c in SIM:
        add('fuzz-sim', sel(s, c))
    for r in ROUTER:
        add('fuzz-sim-router', router_seed(r[0], r[1], r[2], r[3] if len(r) > 3 else None))


def main():
    if os.path.isdir(REC):
        from_recordings()
    else:
        print('make-corpus: no recordings at %s; hand-written seeds only' % REC,
              file=sys.stderr)
    synthetic()
    total = 0
    for target, by in sorted(seeds.items()):
        d = os.path.join(OUT, target)
        os.makedirs(d, exist_ok=True)
        # keep the smallest seeds when there are too many
        keep = sorted(by.items(), key=lambda kv: (len(kv[1]), kv[0]))[:PER_TARGET]
        for name, data in keep:
            with open(os.path.join(d, name), 'wb') as fh:
                fh.write(data)
            total += len(data)
        print('%-18s %4d seeds' % (target, len(keep)))
    print('total %d bytes' % total)


if __name__ == '__main__':
    main()
