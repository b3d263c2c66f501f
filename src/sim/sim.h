/*
 * sim.h — kvdeck-sim's shared context, requests and responses.
 *
 * One struct sim is created by main() and passed to every handler; it
 * holds the configuration, the identity of the simulated tenant, the
 * keys, the store, the fault rules and the pending device codes. Fields
 * that the control endpoint may change at run time are atomics.
 *
 * Handlers are grouped by area (Entra ID, ARM, Graph, Key Vault data
 * plane, control) behind struct sim_area_ops. A handler reads a struct
 * sim_req and fills a struct sim_resp; http.c turns it into a
 * libmicrohttpd response and applies faults.
 *
 * Store keys (lower case, '|' separated):
 *   sub|S  rg|S|RG  vault|S|RG|V  vname|V  dvault|S|LOC|V
 *   pec|S|RG|V|PEC  vnet|S|RG|N  subnet|S|RG|N|SN  pe|S|RG|PE
 *   zg|S|RG|PE|ZG  zone|S|RG|Z  vlink|S|RG|Z|L  rec|S|RG|Z|TYPE|NAME
 *   op|ID (long-running operations)
 *   sec|V|NAME  secv|V|NAME|VERSION  dsec|V|NAME (data plane)
 *   dev|DEVICECODE (device codes)  auth|revoked (refresh-token revocation)
 */
#ifndef KV_SIM_SIM_H
#define KV_SIM_SIM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/vec.h"
#include "sim/keys.h"

struct store;
struct faults;
struct devices;
struct arm_graph;

enum sim_deviation {
    SIM_DEV_PROVISIONING = 1u << 0, /* vaults stay "Provisioning" */
    SIM_DEV_NO_NEXTLINK = 1u << 1,  /* lists never carry nextLink */
};

enum sim_area {
    AREA_LOGIN,
    AREA_ARM,
    AREA_GRAPH,
    AREA_VAULT,
    AREA_IMDS,   /* managed identity, plain HTTP listener */
    AREA_OPENAI, /* an AI services account's endpoint (cog.h) */
    AREA_CONTROL,
    AREA_COUNT
};

/* Request methods as the counters of GET /_sim/requests tell them. */
enum sim_method {
    SIM_M_GET,
    SIM_M_HEAD,
    SIM_M_PUT,
    SIM_M_PATCH,
    SIM_M_POST,
    SIM_M_DELETE,
    SIM_M_OTHER,
    SIM_M_COUNT
};

struct sim_identity {
    char *tenant;    /* uuid */
    char *domain;    /* e.g. contoso.onmicrosoft.com */
    char *client_id; /* the registered service principal */
    char *client_secret;
    char *sp_object_id;
    char *app_name;
    char *user_oid; /* the device-code user */
    char *user_upn;
    char *user_name;
    /* Managed identities: system-assigned, and one user-assigned
     * (selected by client_id, object_id or mi_res_id). */
    char *mi_client_id;
    char *mi_oid;
    char *uami_client_id;
    char *uami_oid;
    char *uami_resource_id;
    char *identity_header; /* App Service X-IDENTITY-HEADER, per start */
    /* A second tenant ("Fabrikam") the service principal and the user
     * can also sign in to (derived from tenant; never stored). */
    char *tenant2; /* uuid */
    char *domain2; /* fabrikam.onmicrosoft.com */
};

struct sim {
    char *state_dir; /* absolute */
    char *listen_host;
    int port;       /* HTTPS */
    int proxy_port; /* 0: off */
    int private_proxy_port;
    /* plain HTTP managed-identity endpoint; 0: off. Atomic: set by the
     * main thread while the HTTPS server already answers (GET /_sim/) */
    _Atomic int imds_port;
    char *seed;
    long compact_bytes;

    _Atomic int token_lifetime; /* seconds */
    _Atomic int lro_delay_ms;
    _Atomic int dns_delay_ms;
    _Atomic int retry_after;     /* seconds, LRO polling hint */
    _Atomic int page_size;       /* ARM default page */
    _Atomic int device_interval; /* seconds */
    _Atomic int device_lifetime; /* seconds */
    _Atomic bool device_auto_approve;
    _Atomic bool device_slow_down;   /* RFC 8628 slow_down (Entra: off) */
    _Atomic int refresh_lifetime;    /* seconds of inactivity */
    _Atomic int64_t refresh_revoked; /* ms; refresh tokens issued before */
    /* The simulator's clock runs this many seconds ahead (behind when
     * negative): the Date header and the tokens' iat, nbf and exp. */
    _Atomic int clock_skew_s;
    /* A claims challenge asked for tokens not before this (s; 0: none),
     * by area: tokens whose nbf is older are challenged again. Clearing
     * the faults (DELETE /_sim/faults) ends the challenges. */
    _Atomic int64_t claims_nbf[AREA_COUNT];
    _Atomic unsigned deviations;
    _Atomic long reads, writes, deletes; /* rate-limit headers */
    /* Requests (control requests not counted): total; how many are
     * inside the simulator at once (headers read .. answer sent) and how
     * many are waiting out an injected latency at once, each with the
     * highest number since the last reset (GET /_sim/requests). */
    _Atomic long requests;
    _Atomic int in_flight, in_flight_max;
    _Atomic int in_latency, in_latency_max;
    /* Requests by area and method, counted as they arrive. */
    _Atomic long by_method[AREA_COUNT][SIM_M_COUNT];
    /* Soft delete and recover are eventually consistent for this long
     * (ms; 0: at once). See dp-secret-deleted.c. */
    _Atomic int soft_delete_delay_ms;
    /* A new role assignment grants after this long (ms; 0: at once).
     * See rbac.h. */
    _Atomic int rbac_delay_ms;
    /* Azure Resource Graph (arm-graph.h): queries per principal and
     * window, how far the index lags writes (ms), and a refusal of every
     * query (403). */
    _Atomic int graph_quota;
    _Atomic int graph_window_ms;
    _Atomic int graph_lag_ms;
    _Atomic bool graph_forbidden;
    /* rows per answer at most, whatever $top asks (0: $top's 1,000; the
     * service cuts pages by size likewise) */
    _Atomic int graph_page_rows;

    struct sim_identity id;
    struct sim_keys keys;
    struct store *store;
    struct faults *faults;
    struct devices *devices;
    struct arm_graph *graph; /* Resource Graph's quotas and change log */
};

struct fault_decision {
    int latency_ms;
    int kind; /* enum fault_kind */
    int status;
    int retry_after;
    int bps;
};

struct sim_mem_req; /* http.h */

struct sim_req {
    struct sim *sim;
    void *conn; /* struct MHD_Connection */
    const struct sim_mem_req *fields; /* or, from http_dispatch(): headers
                                         and query in memory */
    char *method;
    char *path;     /* decoded path, no query */
    char *host;     /* Host header, lower case, port kept */
    char *hostname; /* without port */
    char *base;     /* "https://" + host */
    enum sim_area area;
    char *vault; /* data plane: lower-case vault name */
    struct buf body;
    bool too_large;
    bool private_path; /* arrived over the private network */
    bool close_now;    /* drop the connection without an answer */
    bool answered;     /* a response has been queued */
    bool counted;      /* counted in sim->in_flight */
    char peer[64];
    char *request_id;
    char *correlation_id;
    cJSON *claims;      /* verified bearer token claims, or NULL */
    const char *tenant; /* Entra: the tenant (uuid) the URL names when it
                           is the second one; NULL: the home tenant */
    struct fault_decision fault;
};

struct sim_resp {
    int status;
    struct buf body;
    struct vec headers; /* "Name\0value" pairs as two strings each */
    bool no_common;     /* skip ARM request-id headers */
};

struct sim_area_ops {
    const char *name;
    /* Runs on the request line and headers, before any body is read;
     * returns true when it answered (e.g. 401). May be NULL. */
    bool (*precheck)(struct sim_req *rq, struct sim_resp *rs);
    void (*handle)(struct sim_req *rq, struct sim_resp *rs);
};

extern const struct sim_area_ops entra_area, arm_area, graph_area, dp_area,
    imds_area, control_area;

/* Request accessors (http.c). Strings belong to the request. */
const char *req_query(const struct sim_req *rq, const char *key);
const char *req_header(const struct sim_req *rq, const char *name);
/* The parsed JSON body (caller deletes), or NULL. */
cJSON *req_json(const struct sim_req *rq);

/* Response builders (http.c). */
void resp_header(struct sim_resp *rs, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets status and a compact JSON body; takes ownership of body (may be
 * NULL for an empty body). */
void resp_json(struct sim_resp *rs, int status, cJSON *body);
void resp_text(struct sim_resp *rs, int status, const char *ctype,
               const char *text);

/* A request method as counted, and its name ("OTHER" for the rest). */
enum sim_method sim_method_of(const char *method);
const char *sim_method_name(enum sim_method m);
/* True for PUT, PATCH, POST and DELETE. */
bool sim_method_writes(enum sim_method m);

/* The current time in ms, and the request's origin for absolute URLs. */
int64_t sim_now_ms(void);
/* The simulator's clock in seconds: now plus the configured skew. */
int64_t sim_clock_s(const struct sim *sim);

#endif
