#!/bin/bash
# tests/conformance/test-az.sh — kvdeck-sim acceptance with Debian's az CLI.
#
# Starts a fresh simulator, registers it as a custom cloud, signs in as the
# seeded service principal and runs a scenario over ARM (groups, vaults,
# network, private endpoints) and the Key Vault data plane (az rest, since
# Debian's `az keyvault secret` is broken). Every step is asserted on the
# command's exit status and on what it printed. Prints TAP; exit 0 pass,
# 1 fail, 77 skip (az or jq missing), 99 hard error.
set -u
. "$(dirname "$0")/lib.sh"

command -v az >/dev/null 2>&1 || conf_skip "az CLI not installed (apt-get install azure-cli)"
command -v jq >/dev/null 2>&1 || conf_skip "jq not installed (needed for the assertions)"

sim_start "$@"
conf_client_env

TENANT=$(conn_get tenant)
CLIENT_ID=$(conn_get client_id)
SUBS=$(conn_get subscriptions)
SUB=${SUBS%% *}
PORT=$(conn_get port)
ARM=$(conn_get arm)
DNS_SUFFIX=$(conn_get vault_dns_suffix)
VAULT_RES=$(conn_get vault_resource)
CLOUD_FILE=$(conn_get cloud_file)

# az_config_dir DIR: a private az config dir; versionCheck.json is
# pre-seeded so that a fresh dir does not make az check for updates.
az_config_dir() {
    mkdir -p "$1" && chmod 700 "$1"
    printf '{"versions":{"azure-cli":{"local":"2.45.0"},"core":{"local":"2.45.0"},"telemetry":{"local":"1.0.8"}},"update_time":"%s"}\n' \
        "$(date '+%Y-%m-%d %H:%M:%S.%6N')" >"$1/versionCheck.json"
}
export AZURE_CONFIG_DIR=$conf_work/azconfig
export AZURE_CORE_COLLECT_TELEMETRY=false
export AZURE_CORE_NO_COLOR=true
export AZURE_CORE_ONLY_SHOW_ERRORS=false
export REQUESTS_CA_BUNDLE=$SIM_CA
export PYTHONPATH=$conf_dir/az${PYTHONPATH:+:$PYTHONPATH}
az_config_dir "$AZURE_CONFIG_DIR"

echo "# $(az version -o tsv --query '"azure-cli"' 2>/dev/null | sed 's/^/az /')"
AZ_TIMEOUT=${KVCONF_AZ_TIMEOUT:-180}
OUT=$conf_work/out.json
ERR=$conf_work/err.txt

RUN=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
RG=conf-az-rg-$RUN
VAULT=confaz$RUN
VNET=conf-az-vnet
SUBNET=pe
PE=conf-az-pe
VAULT_URI=
VAULT_ID=
PE_ID=

# az ARGS...: runs az with a time limit, JSON on $OUT, messages on $ERR.
azj() {
    timeout "$AZ_TIMEOUT" az "$@" -o json >"$OUT" 2>"$ERR"
    rc=$?
    [ $rc -eq 124 ] && echo "az $1 $2: timed out after $AZ_TIMEOUT s" >>"$ERR"
    return $rc
}

# jqe [jq options] FILTER: asserts FILTER is true on $OUT.
jqe() {
    if jq -e "$@" "$OUT" >/dev/null 2>&1; then
        return 0
    fi
    eval "echo \"# assertion failed: \${$#}\""
    return 1
}


lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

# ---- cloud and sign-in ---------------------------------------------------------
s_cloud_register() {
    azj cloud register -n kvsim --cloud-config @"$CLOUD_FILE" || return 1
    azj cloud show -n kvsim || return 1
    jqe --arg arm "$ARM" '(.endpoints.resourceManager | rtrimstr("/")) == ($arm | rtrimstr("/"))' &&
        jqe --arg s "$DNS_SUFFIX" '.suffixes.keyvaultDns == $s'
}
s_cloud_set() {
    azj cloud set -n kvsim || return 1
    azj cloud show || return 1
    jqe '.name == "kvsim" and .isActive == true'
}
s_login() {
    # The secret is the simulator's fixed test credential, not a real one.
    azj login --service-principal -u "$CLIENT_ID" -p "$(conn_get client_secret)" --tenant "$TENANT" ||
        return 1
    jqe --arg subs "$SUBS" '($subs | split(" ") | sort) as $want | (map(.id) | sort) == $want' &&
        jqe --arg t "$TENANT" 'all(.[]; .tenantId == $t and .state == "Enabled" and .cloudName == "kvsim")' &&
        jqe --arg c "$CLIENT_ID" 'all(.[]; .user.name == $c and .user.type == "servicePrincipal")'
}
s_login_wrong_secret() {
    # A wrong secret must be refused (AADSTS7000215 invalid_client).
    d=$conf_work/azconfig-bad
    az_config_dir "$d"
    AZURE_CONFIG_DIR=$d azj cloud register -n kvsim --cloud-config @"$CLOUD_FILE" &&
        AZURE_CONFIG_DIR=$d azj cloud set -n kvsim || return 1
    if AZURE_CONFIG_DIR=$d azj login --service-principal \
        -u "$CLIENT_ID" -p wrong-secret --tenant "$TENANT"; then
        echo "login with a wrong secret succeeded"
        return 1
    fi
    grep -q "AADSTS7000215\|invalid_client" "$ERR" || {
        echo "no invalid_client/AADSTS7000215 in the error"
        return 1
    }
}
s_login_tenant_paths() {
    # The other sign-in route of CLIENTS.md: activeDirectory on the tenant
    # paths. MSAL 1.21 then asks login.microsoftonline.com for instance
    # discovery (through HTTPS_PROXY: the simulator answers that CONNECT
    # itself), then /TENANT/v2.0/.well-known/openid-configuration.
    d=$conf_work/azconfig-tenant
    az_config_dir "$d"
    jq --arg ad "$(conn_get login | sed 's:/*$::')" '.endpoints.activeDirectory = $ad | del(.name)' \
        "$CLOUD_FILE" >"$conf_work/cloud-tenant.json" || return 1
    AZURE_CONFIG_DIR=$d azj cloud register -n kvsim-tenant --cloud-config @"$conf_work/cloud-tenant.json" &&
        AZURE_CONFIG_DIR=$d azj cloud set -n kvsim-tenant || return 1
    AZURE_CONFIG_DIR=$d azj login --service-principal -u "$CLIENT_ID" -p "$(conn_get client_secret)" \
        --tenant "$TENANT" || return 1
    jqe --arg subs "$SUBS" '($subs | split(" ") | sort) == (map(.id) | sort)' || return 1
    AZURE_CONFIG_DIR=$d azj group list || return 1
    jqe 'type == "array" and length > 0'
}
s_login_certificate() {
    # A service principal with a certificate (client assertion JWT).
    cert=$(conn_get client_certificate)
    [ -r "$cert" ] || { echo "connection.json has no readable client_certificate"; return 1; }
    d=$conf_work/azconfig-cert
    az_config_dir "$d"
    AZURE_CONFIG_DIR=$d azj cloud register -n kvsim --cloud-config @"$CLOUD_FILE" &&
        AZURE_CONFIG_DIR=$d azj cloud set -n kvsim || return 1
    AZURE_CONFIG_DIR=$d azj login --service-principal -u "$CLIENT_ID" -p "$cert" --tenant "$TENANT" || return 1
    jqe --arg subs "$SUBS" '($subs | split(" ") | sort) == (map(.id) | sort)' || return 1
    AZURE_CONFIG_DIR=$d azj account get-access-token || return 1
    jqe '(.accessToken | length) > 0'
}
s_account_list() {
    azj account list || return 1
    jqe --arg subs "$SUBS" '($subs | split(" ") | length) == length' &&
        jqe 'map(select(.isDefault)) | length == 1' &&
        jqe 'all(.[]; (.name | length) > 0)'
}
s_account_token() {
    azj account get-access-token --resource "$VAULT_RES" || return 1
    jqe '(.accessToken | length) > 0 and .tokenType == "Bearer"' &&
        jqe --arg t "$TENANT" '.tenant == $t'
}

# ---- resource groups ------------------------------------------------------------
GROUPS_BEFORE=0
s_group_list() {
    azj group list || return 1
    jqe 'type == "array"' &&
        jqe 'all(.[]; (.id | test("^/subscriptions/[^/]+/resourceGroups/[^/]+$"; "i")) and (.name | length) > 0 and (.location | length) > 0)' &&
        jqe 'all(.[]; .properties.provisioningState == "Succeeded")' || return 1
    GROUPS_BEFORE=$(jq length "$OUT")
    echo "# $GROUPS_BEFORE groups in the default subscription"
}
s_group_create() {
    azj group create -n "$RG" -l eastus --tags purpose=conformance || return 1
    jqe --arg id "/subscriptions/$SUB/resourceGroups/$RG" '(.id | ascii_downcase) == ($id | ascii_downcase)' &&
        jqe --arg n "$RG" '.name == $n and .location == "eastus" and .properties.provisioningState == "Succeeded"' &&
        jqe '.tags.purpose == "conformance"'
}
s_group_show() {
    azj group show -n "$RG" || return 1
    jqe --arg n "$RG" '.name == $n and .location == "eastus" and .tags.purpose == "conformance"' || return 1
    azj group list || return 1
    jqe --argjson n "$((GROUPS_BEFORE + 1))" 'length == $n' &&
        jqe --arg n "$RG" 'map(select(.name == $n)) | length == 1'
}
s_group_exists() {
    azj group exists -n "$RG" || return 1
    jqe '. == true' || return 1
    azj group exists -n "conf-no-such-group-$RUN" || return 1
    jqe '. == false'
}
s_group_show_missing() {
    if azj group show -n "conf-no-such-group-$RUN"; then
        echo "showing a missing group succeeded"
        return 1
    fi
    grep -q "ResourceGroupNotFound" "$ERR" || {
        echo "no ResourceGroupNotFound in the error"
        return 1
    }
}

# ---- vaults ----------------------------------------------------------------------
s_vault_create() {
    # Without --no-self-perms: az also asks Graph for the signed-in principal
    # and adds an access policy for it, then polls RegisteringDns -> Succeeded.
    azj keyvault create -g "$RG" -n "$VAULT" -l eastus || return 1
    VAULT_ID=$(jq -r .id "$OUT")
    VAULT_URI=$(jq -r .properties.vaultUri "$OUT")
    jqe --arg id "/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.KeyVault/vaults/$VAULT" \
        '(.id | ascii_downcase) == ($id | ascii_downcase)' &&
        jqe --arg n "$VAULT" '.name == $n and .type == "Microsoft.KeyVault/vaults" and .location == "eastus"' &&
        jqe '.properties.provisioningState == "Succeeded"' &&
        jqe --arg u "https://$VAULT$DNS_SUFFIX:$PORT/" '.properties.vaultUri == $u' &&
        jqe --arg t "$TENANT" '.properties.tenantId == $t and .properties.sku.family == "A" and .properties.sku.name == "standard"' &&
        jqe '.properties.enableSoftDelete == true and (.properties.softDeleteRetentionInDays | type) == "number"' &&
        jqe '(.properties.accessPolicies | length) >= 1 and (.properties.accessPolicies[0].permissions.secrets | length) > 0'
}
s_vault_create_again() {
    # Vault names are global: the same name in another group is refused
    # with 409 VaultAlreadyExists (az's own existence check is per group).
    azj group create -n "$RG-2" -l westeurope || return 1
    if azj keyvault create -g "$RG-2" -n "$VAULT" -l westeurope --no-self-perms; then
        echo "creating $VAULT a second time in $RG-2 succeeded"
        return 1
    fi
    grep -q "VaultAlreadyExists" "$ERR" || {
        echo "no VaultAlreadyExists in the error"
        return 1
    }
}
s_vault_list() {
    azj keyvault list || return 1
    jqe --arg n "$VAULT" --arg rg "$RG" 'map(select(.name == $n and .resourceGroup == $rg)) | length == 1' &&
        jqe 'all(.[]; .type == "Microsoft.KeyVault/vaults" and (.location | length) > 0)'
}
s_vault_list_rg() {
    azj keyvault list -g "$RG" || return 1
    jqe --arg n "$VAULT" 'length == 1 and .[0].name == $n'
}
s_vault_show() {
    azj keyvault show -n "$VAULT" || return 1
    jqe --arg id "$VAULT_ID" '.id == $id' &&
        jqe --arg u "$VAULT_URI" '.properties.vaultUri == $u and .properties.provisioningState == "Succeeded"' &&
        jqe --arg rg "$RG" '.resourceGroup == $rg'
}
s_vault_show_missing() {
    if azj keyvault show -n "confnone$RUN" -g "$RG"; then
        echo "showing a missing vault succeeded"
        return 1
    fi
    grep -q "ResourceNotFound\|was not found" "$ERR" || {
        echo "no ResourceNotFound in the error"
        return 1
    }
}

# ---- data plane through az rest ----------------------------------------------------
# dp METHOD PATH [BODY]: a data-plane call on the new vault with a vault token.
DP_API=7.4
dp() {
    url="${VAULT_URI%/}/$2"
    case "$url" in *\?*) ;; *) url="$url?api-version=$DP_API" ;; esac
    if [ $# -ge 3 ]; then
        azj rest --method "$1" --url "$url" --resource "$VAULT_RES" --body "$3"
    else
        azj rest --method "$1" --url "$url" --resource "$VAULT_RES"
    fi
}
# ---- Azure RBAC -------------------------------------------------------------------
# A vault on RBAC refuses its creator (Owner of the subscription, which grants
# no data access) with ForbiddenByRbac until `az role assignment create` gives
# it a data role and the role has propagated (the simulator's default
# --rbac-delay, 5 s, waited out).
RVAULT=
RVAULT_ID=
RVAULT_URI=
RA_ID=
rdp() {
    url="${RVAULT_URI%/}/$2?api-version=$DP_API"
    if [ $# -ge 3 ]; then
        azj rest --method "$1" --url "$url" --resource "$VAULT_RES" --body "$3"
    else
        azj rest --method "$1" --url "$url" --resource "$VAULT_RES"
    fi
}
s_rbac_vault() {
    RVAULT=${VAULT}r
    azj keyvault create -g "$RG" -n "$RVAULT" -l eastus --enable-rbac-authorization true || return 1
    RVAULT_ID=$(jq -r .id "$OUT")
    RVAULT_URI=$(jq -r .properties.vaultUri "$OUT")
    jqe '.properties.enableRbacAuthorization == true and .properties.provisioningState == "Succeeded"' || return 1
    if rdp get secrets; then
        echo "listing an RBAC vault's secrets without a role succeeded"
        return 1
    fi
    grep -q "ForbiddenByRbac" "$ERR" && grep -q "Forbidden" "$ERR" || {
        echo "no ForbiddenByRbac in the error:"; head -c 600 "$ERR"; return 1
    }
}
# Debian's az 2.45 cannot run `az role assignment create|list` against any
# server (its role module reads .config.subscription_id, which the packaged
# azure-mgmt-authorization 3.0 no longer has: AttributeError); the calls those
# commands make go through `az rest` instead (az's sign-in, cloud and HTTP
# stack), and `az role assignment delete --ids`, which does not touch it.
AZ_API=2022-04-01
s_rbac_assign() {
    oid=$(conn_get client_object_id)
    azj rest --method get --url "$ARM${RVAULT_ID#/}/providers/Microsoft.Authorization/roleDefinitions?api-version=$AZ_API&\$filter=roleName%20eq%20'Key%20Vault%20Secrets%20Officer'" || return 1
    jqe '.value | length == 1 and .[0].name == "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"' &&
        jqe '.value[0].properties.roleName == "Key Vault Secrets Officer" and .value[0].properties.permissions[0].dataActions == ["Microsoft.KeyVault/vaults/secrets/*"]' || return 1
    role_id=$(jq -r '.value[0].id' "$OUT")
    name=$(python3 -c 'import uuid; print(uuid.uuid4())')
    azj rest --method put --url "$ARM${RVAULT_ID#/}/providers/Microsoft.Authorization/roleAssignments/$name?api-version=$AZ_API" \
        --body "{\"properties\":{\"roleDefinitionId\":\"$role_id\",\"principalId\":\"$oid\",\"principalType\":\"ServicePrincipal\"}}" || return 1
    RA_ID=$(jq -r .id "$OUT")
    jqe --arg s "$RVAULT_ID" --arg o "$oid" \
        '(.properties.scope | ascii_downcase) == ($s | ascii_downcase) and .properties.principalId == $o and .properties.principalType == "ServicePrincipal"' &&
        jqe '.properties.roleDefinitionId | ascii_downcase | endswith("/roledefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7")' &&
        jqe --arg s "$RVAULT_ID" --arg n "$name" '.name == $n and (.id | ascii_downcase) == (($s + "/providers/Microsoft.Authorization/roleAssignments/" + $n) | ascii_downcase)'
}
s_rbac_list() {
    azj rest --method get --url "$ARM${RVAULT_ID#/}/providers/Microsoft.Authorization/roleAssignments?api-version=$AZ_API&\$filter=atScope()" || return 1
    jqe --arg id "$RA_ID" '.value | map(.id) | index($id) != null' || return 1
    oid=$(conn_get client_object_id)
    azj rest --method get --url "${ARM}subscriptions/$SUB/providers/Microsoft.Authorization/roleAssignments?api-version=$AZ_API&\$filter=principalId%20eq%20'$oid'" || return 1
    jqe --arg id "$RA_ID" --arg o "$oid" '(.value | map(.id) | index($id) != null) and (.value | all(.properties.principalId == $o))'
}
s_rbac_read() {
    # Refused until the assignment has propagated, then allowed.
    t0=$(date +%s)
    while ! rdp put secrets/first '{"value":"rbac-ok"}'; do
        grep -q "ForbiddenByRbac" "$ERR" || { head -c 600 "$ERR"; return 1; }
        [ $(( $(date +%s) - t0 )) -gt 30 ] && { echo "still refused after 30 s"; return 1; }
        sleep 1
    done
    echo "# role effective after about $(( $(date +%s) - t0 )) s"
    rdp get secrets/first && jqe '.value == "rbac-ok"'
}
s_rbac_delete() {
    azj role assignment delete --ids "$RA_ID" || return 1
    azj rest --method get --url "$ARM${RVAULT_ID#/}/providers/Microsoft.Authorization/roleAssignments?api-version=$AZ_API&\$filter=atScope()" || return 1
    jqe --arg id "$RA_ID" '.value | map(.id) | index($id) == null' || return 1
    if rdp get secrets/first; then
        echo "reading after the assignment was deleted succeeded"
        return 1
    fi
    grep -q "ForbiddenByRbac" "$ERR"
}

S1_V1=
S1_V2=
# a 32-hex version id at the end of a secret id
VERSION_RE='/secrets/%s/[0-9a-f]{32}$'
s_secret_set() {
    dp put secrets/s1 '{"value":"value-one","contentType":"text/plain","tags":{"k":"v"}}' || return 1
    S1_V1=$(jq -r '.id | split("/") | last' "$OUT")
    jqe '.value == "value-one" and .contentType == "text/plain" and .tags.k == "v"' &&
        jqe --arg p "${VAULT_URI%/}" --arg re "$(printf "$VERSION_RE" s1)" '(.id | startswith($p + "/secrets/s1/")) and (.id | test($re))' &&
        jqe '.attributes.enabled == true and (.attributes.created | type) == "number" and (.attributes.updated | type) == "number"' &&
        jqe '(.attributes.recoveryLevel | length) > 0'
}
s_secret_set_version() {
    dp put secrets/s1 '{"value":"value-two"}' || return 1
    S1_V2=$(jq -r '.id | split("/") | last' "$OUT")
    jqe '.value == "value-two"' && [ -n "$S1_V2" ] && [ "$S1_V2" != "$S1_V1" ] || return 1
    dp put secrets/s2 '{"value":"second"}' && jqe '.value == "second"' || return 1
    dp put secrets/s3 '{"value":"third","contentType":"text/x-conf","tags":{"t":"3"}}' &&
        jqe '.value == "third" and .contentType == "text/x-conf"'
}
s_secret_get() {
    dp get secrets/s1/ || return 1
    jqe --arg v "$S1_V2" '.value == "value-two" and (.id | endswith("/secrets/s1/" + $v))' || return 1
    dp get "secrets/s1/$S1_V1" || return 1
    jqe --arg v "$S1_V1" '.value == "value-one" and (.id | endswith("/secrets/s1/" + $v)) and .contentType == "text/plain"'
}
s_secret_get_missing() {
    if dp get secrets/conf-missing/; then
        echo "getting a missing secret succeeded"
        return 1
    fi
    grep -q "SecretNotFound" "$ERR" || {
        echo "no SecretNotFound in the error"
        return 1
    }
}
# dp_list PATH: follows nextLink from PATH, all items into $conf_work/items.json.
dp_list() {
    echo '[]' >"$conf_work/items.json"
    next="${VAULT_URI%/}/$1"
    pages=0
    while [ -n "$next" ] && [ "$next" != null ]; do
        azj rest --method get --url "$next" --resource "$VAULT_RES" || return 1
        jqe 'has("value") and has("nextLink")' || return 1   # data plane: explicit null at the end
        pages=$((pages + 1))
        jq -s '.[0] + .[1].value' "$conf_work/items.json" "$OUT" >"$conf_work/items.tmp" &&
            mv "$conf_work/items.tmp" "$conf_work/items.json"
        next=$(jq -r '.nextLink // empty' "$OUT")
        [ $pages -gt 50 ] && { echo "more than 50 pages"; return 1; }
    done
    echo "# $pages pages"
    cp "$conf_work/items.json" "$OUT"
    LIST_PAGES=$pages
}
s_secret_list() {
    dp_list "secrets?maxresults=2&api-version=$DP_API" || return 1
    [ "$LIST_PAGES" -ge 2 ] || { echo "3 secrets with maxresults=2 came in $LIST_PAGES page(s)"; return 1; }
    jqe '(map(.id | split("/") | last) | sort) == ["s1","s2","s3"]' &&
        jqe 'all(.[]; has("value") | not)' &&
        jqe --arg p "${VAULT_URI%/}/secrets/" 'all(.[]; .id | startswith($p))' &&
        jqe 'all(.[]; .attributes.enabled == true)' &&
        jqe 'map(select(.id | endswith("/s3"))) | .[0].contentType == "text/x-conf" and .[0].tags.t == "3"'
}
s_secret_versions() {
    dp_list "secrets/s1/versions?maxresults=1&api-version=$DP_API" || return 1
    jqe --arg a "$S1_V1" --arg b "$S1_V2" '(map(.id | split("/") | last) | sort) == ([$a, $b] | sort)' &&
        jqe 'all(.[]; has("value") | not)'
}
s_secret_delete() {
    dp delete secrets/s1 || return 1
    jqe --arg r "${VAULT_URI%/}/deletedsecrets/s1" '.recoveryId == $r' &&
        jqe '(.deletedDate | type) == "number" and (.scheduledPurgeDate | type) == "number" and .scheduledPurgeDate > .deletedDate' &&
        jqe 'has("value") | not'
}
s_secret_deleted_get() {
    # Deletion is eventually consistent: poll for up to 30 s, as the SDKs do.
    i=0
    until dp get deletedsecrets/s1; do
        i=$((i + 1))
        [ $i -ge 30 ] && return 1
        sleep 1
    done
    jqe --arg r "${VAULT_URI%/}/deletedsecrets/s1" '.recoveryId == $r' &&
        jqe --arg v "$S1_V2" '.id | endswith("/secrets/s1/" + $v)' || return 1
    # The deleted secret is gone from the live list and the live get.
    if dp get secrets/s1/; then
        echo "a deleted secret can still be read"
        return 1
    fi
    dp_list "secrets?api-version=$DP_API" && jqe '(map(.id | split("/") | last) | sort) == ["s2","s3"]'
}
s_secret_set_deleted() {
    # Setting a name that is deleted-but-recoverable is a 409 Conflict.
    if dp put secrets/s1 '{"value":"x"}'; then
        echo "setting a soft-deleted secret succeeded"
        return 1
    fi
    grep -q "Conflict\|ObjectIsDeletedButRecoverable" "$ERR"
}
s_secret_recover() {
    dp post deletedsecrets/s1/recover || return 1
    jqe --arg v "$S1_V2" '.id | endswith("/secrets/s1/" + $v)' || return 1
    i=0
    until dp get secrets/s1/; do
        i=$((i + 1))
        [ $i -ge 30 ] && return 1
        sleep 1
    done
    jqe '.value == "value-two"'
}

# ---- network and private endpoint ---------------------------------------------------
s_vnet_create() {
    azj network vnet create -g "$RG" -n "$VNET" -l eastus --address-prefixes 10.20.0.0/16 || return 1
    jqe --arg n "$VNET" '.newVNet.name == $n and .newVNet.provisioningState == "Succeeded"' &&
        jqe '.newVNet.addressSpace.addressPrefixes == ["10.20.0.0/16"]'
}
s_subnet_create() {
    azj network vnet subnet create -g "$RG" --vnet-name "$VNET" -n "$SUBNET" \
        --address-prefixes 10.20.1.0/24 --disable-private-endpoint-network-policies true || return 1
    jqe --arg n "$SUBNET" '.name == $n and .provisioningState == "Succeeded"' &&
        jqe '.addressPrefix == "10.20.1.0/24" or .addressPrefixes == ["10.20.1.0/24"]' &&
        jqe '.privateEndpointNetworkPolicies == "Disabled"' &&
        jqe --arg id "/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.Network/virtualNetworks/$VNET/subnets/$SUBNET" \
            '(.id | ascii_downcase) == ($id | ascii_downcase)'
}
s_pe_create() {
    azj network private-endpoint create -g "$RG" -n "$PE" -l eastus --vnet-name "$VNET" --subnet "$SUBNET" \
        --private-connection-resource-id "$VAULT_ID" --group-id vault --connection-name conf-conn || return 1
    PE_ID=$(jq -r .id "$OUT")
    jqe --arg id "/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.Network/privateEndpoints/$PE" \
        '(.id | ascii_downcase) == ($id | ascii_downcase)' &&
        jqe '.provisioningState == "Succeeded"' &&
        jqe '(.privateLinkServiceConnections | length) == 1' &&
        jqe '.privateLinkServiceConnections[0].name == "conf-conn" and .privateLinkServiceConnections[0].groupIds == ["vault"]' &&
        jqe --arg v "$VAULT_ID" '(.privateLinkServiceConnections[0].privateLinkServiceId | ascii_downcase) == ($v | ascii_downcase)' &&
        jqe '.privateLinkServiceConnections[0].privateLinkServiceConnectionState.status == "Approved"' &&
        jqe --arg sn "$SUBNET" '(.subnet.id | ascii_downcase | endswith("/subnets/" + ($sn | ascii_downcase)))' &&
        jqe '(.networkInterfaces | length) >= 1'
}
s_pe_show() {
    azj network private-endpoint show -g "$RG" -n "$PE" || return 1
    jqe --arg id "$PE_ID" '.id == $id and .provisioningState == "Succeeded"'
}
# Network rules: a subnet with the Microsoft.KeyVault service endpoint may be a
# vault's virtual network rule, one without is refused (as Azure does).
s_subnet_service_endpoint() {
    azj network vnet subnet create -g "$RG" --vnet-name "$VNET" -n "$SUBNET-se" \
        --address-prefixes 10.20.2.0/24 --service-endpoints Microsoft.KeyVault || return 1
    SE_ID=$(jq -r .id "$OUT")
    jqe '[.serviceEndpoints[].service] == ["Microsoft.KeyVault"]'
}
s_netrule_refused() {
    if azj keyvault network-rule add -n "$VAULT" -g "$RG" \
        --subnet "/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.Network/virtualNetworks/$VNET/subnets/$SUBNET"; then
        echo "# a subnet without the service endpoint was accepted"
        return 1
    fi
    grep -q "SubnetsHaveNoServiceEndpointsConfigured" "$ERR"
}
s_netrule_add() {
    azj keyvault network-rule add -n "$VAULT" -g "$RG" --subnet "$SE_ID" || return 1
    azj keyvault network-rule add -n "$VAULT" -g "$RG" --ip-address 1.2.3.4 || return 1
    azj keyvault network-rule list -n "$VAULT" -g "$RG" || return 1
    jqe '.ipRules == [{"value": "1.2.3.4/32"}]' &&
        jqe --arg id "$SE_ID" '[.virtualNetworkRules[].id | ascii_downcase] == [($id | ascii_downcase)]'
}
s_netrule_remove() {
    azj keyvault network-rule remove -n "$VAULT" -g "$RG" --ip-address 1.2.3.4/32 || return 1
    azj keyvault network-rule list -n "$VAULT" -g "$RG" || return 1
    jqe '(.ipRules // []) == []'
}
# pec_check: $OUT is an array of the vault's private endpoint connections.
pec_check() {
    jqe 'length == 1' &&
        jqe --arg pe "$PE_ID" '(.[0].properties.privateEndpoint.id | ascii_downcase) == ($pe | ascii_downcase)' &&
        jqe '.[0].properties.privateLinkServiceConnectionState.status == "Approved"' &&
        jqe '.[0].properties.provisioningState == "Succeeded"' &&
        jqe --arg v "$VAULT_ID" '(.[0].id | ascii_downcase | startswith(($v | ascii_downcase) + "/privateendpointconnections/"))'
}
s_pec_list_network() {
    azj network private-endpoint-connection list --id "$VAULT_ID" || return 1
    pec_check
}
s_pec_list_rest() {
    azj rest --method get --url "${ARM%/}$VAULT_ID/privateEndpointConnections?api-version=2023-07-01" || return 1
    jqe 'has("value")' || return 1
    jq .value "$OUT" >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
    pec_check
}
s_vault_show_pec() {
    azj keyvault show -n "$VAULT" || return 1
    jq '.properties.privateEndpointConnections' "$OUT" >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
    # inside the vault the list items carry the connection under .properties too
    jqe 'length == 1' &&
        jqe --arg pe "$PE_ID" '(.[0].privateEndpoint.id // .[0].properties.privateEndpoint.id | ascii_downcase) == ($pe | ascii_downcase)'
}

step "az cloud register --cloud-config @cloud.json" s_cloud_register || conf_finish az
step "az cloud set" s_cloud_set || conf_finish az
step "az login --service-principal" s_login || conf_finish az
step "az login with a wrong secret is refused" s_login_wrong_secret
step "az login through the tenant paths (instance discovery via the proxy)" s_login_tenant_paths
step "az login --service-principal with a certificate" s_login_certificate
step "az account list" s_account_list
step "az account get-access-token --resource <vault resource>" s_account_token
step "az group list" s_group_list
step "az group create" s_group_create || conf_finish az
step "az group show + list" s_group_show
step "az group exists" s_group_exists
step "az group show (missing group)" s_group_show_missing
step "az keyvault create (RegisteringDns -> Succeeded)" s_vault_create || conf_finish az
step "az keyvault create (same name, other group) is refused" s_vault_create_again
step "az keyvault list" s_vault_list
step "az keyvault list -g" s_vault_list_rg
step "az keyvault show" s_vault_show
step "az keyvault show (missing vault)" s_vault_show_missing
step "az rest PUT secret (data plane)" s_secret_set
step "az rest PUT new version + more secrets" s_secret_set_version
step "az rest GET secret latest and by version" s_secret_get
step "az rest GET missing secret is 404 SecretNotFound" s_secret_get_missing
step "az rest list secrets (maxresults=2, follow nextLink)" s_secret_list
step "az rest list secret versions" s_secret_versions
step "az rest DELETE secret" s_secret_delete
step "az rest GET deleted secret" s_secret_deleted_get
step "az rest PUT on a deleted secret is 409" s_secret_set_deleted
step "az rest POST recover + GET" s_secret_recover
step "az keyvault create --enable-rbac-authorization: data plane ForbiddenByRbac" s_rbac_vault &&
    step "az rest: roleDefinitions \$filter=roleName, PUT roleAssignments (Key Vault Secrets Officer on the vault)" s_rbac_assign &&
    step "az rest: roleAssignments atScope() and principalId eq" s_rbac_list &&
    step "az rest PUT/GET secret allowed once the role has propagated" s_rbac_read &&
    step "az role assignment delete --ids: refused again" s_rbac_delete
step "az network vnet create" s_vnet_create
step "az network vnet subnet create" s_subnet_create
step "az network private-endpoint create --group-id vault" s_pe_create
step "az network private-endpoint show" s_pe_show
step "az network private-endpoint-connection list --id <vault>" s_pec_list_network
step "az rest GET vault privateEndpointConnections" s_pec_list_rest
step "az keyvault show lists the connection" s_vault_show_pec
step "az network vnet subnet create --service-endpoints Microsoft.KeyVault" s_subnet_service_endpoint &&
    step "az keyvault network-rule add (subnet without the service endpoint) is refused" s_netrule_refused &&
    step "az keyvault network-rule add --subnet / --ip-address + list" s_netrule_add &&
    step "az keyvault network-rule remove --ip-address" s_netrule_remove
conf_finish az
