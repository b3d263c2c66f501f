/*
 * wizard-rotate-source.c — rotation at the key's source (issue #13; see
 * wizard-rotate.h): for a secret tagged source-resource-id (the key of
 * an Azure AI services account), R offers to regenerate the key the
 * secret does not hold at the account and store it, instead of typing a
 * value. Two pages on the wizard host (wizard.h): 1. the latest version
 * and its account, and how to get the new value (at the source, or a
 * value typed or generated here: that closes this wizard and opens the
 * plain one); 2. what becomes of the old version's key (keep it valid,
 * regenerate it now, or after a grace period: :pending). Then the plan's
 * review (plan_rotate_source(): regenerating the old key closes access,
 * so the account's name is typed), its progress, and the outcome: which
 * key is live where (plan_source_summary()). The new key is not shown.
 *
 * A secret without the tag (the plain wizard's "at an AI services
 * account" choice: wizard_rotate_source_pick()) gets the same pages,
 * page 1 picking the account from the AI services accounts of the
 * vault's subscription (JOB_LIST_AI_ACCOUNTS); the plan then tags the
 * new version with the account it picked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "engine/model.h"
#include "engine/plan-source.h"
#include "tui/wizard-outcome.h"
#include "tui/wizard-rotate.h"
#include "tui/wizard.h"

enum { SRC_PAGE_CURRENT, SRC_PAGE_RETIRE, SRC_PAGES };
enum { SRC_HOW_SOURCE, SRC_HOW_VALUE };
enum { SRC_KEEP, SRC_NOW, SRC_LATER };

/* A choice index meaning "no such field on the page". */
#define SRC_NONE ((size_t)-1)

struct rotsrc {
    char *vault_uri, *vault_name, *name;
    struct kv_secret_version *current; /* the latest, as read */
    bool read_done;
    uint64_t job;
    size_t f_how, f_retire, f_grace;
    struct form *retire_form;
    enum retire_mode retire;
    /* picking the account (no source-resource-id tag): sub is the
     * vault's subscription; accounts holds struct kv_ai_account */
    char *sub;
    uint64_t acct_job;
    bool acct_done;
    char *acct_error;
    struct vec accounts;
    size_t f_account;
};

/* The account's name: the last segment of its id. */
static const char *
src_account_name(const char *id)
{
    const char *s = id != NULL ? strrchr(id, '/') : NULL;
    return s != NULL && s[1] != '\0' ? s + 1 : id != NULL ? id : "?";
}

static const char *
src_check_grace(const char *text, void *ctx)
{
    struct rotsrc *r = ctx;
    int64_t d;
    if (r->retire_form == NULL ||
        form_choice(r->retire_form, r->f_retire) != SRC_LATER)
        return NULL;
    if (!time_parse_duration(text, &d) || d <= 0)
        return _("a delay such as 30m, 24h, 7d");
    return NULL;
}

/* Page 1 of a secret without the tag: the accounts to pick from, or why
 * there are none. Returns the name for the "regenerate at" choice (NULL:
 * no account to pick, only the plain rotation is offered). */
static const char *
src_add_pick(struct app *a, struct rotsrc *r, struct form *f)
{
    r->f_account = SRC_NONE;
    if (r->accounts.len == 0) {
        const struct store_sub *ss = store_find_sub(a->store, r->sub);
        const char *sn = ss != NULL && ss->sub->display_name != NULL
                             ? ss->sub->display_name
                             : r->sub;
        char *t =
            r->acct_error != NULL
                ? xasprintf(_("The AI services accounts of %s could not be "
                              "listed: %s"),
                            sn, r->acct_error)
                : xasprintf(_("%s has no AI services account (Azure OpenAI "
                              "or AI services) to regenerate a key at."),
                            sn);
        form_add_info(f, t);
        free(t);
        return NULL;
    }
    size_t n = r->accounts.len;
    char **labels = xcalloc(n, sizeof *labels);
    for (size_t i = 0; i < n; i++) {
        const struct kv_ai_account *ac = r->accounts.items[i];
        labels[i] =
            xasprintf("%s (%s, %s)", ac->name, ac->kind ? ac->kind : "?",
                      ac->location ? ac->location : "?");
    }
    r->f_account = form_add_choice_take(f, _("Key of"), labels, n, 0);
    form_set_hint(f, r->f_account,
                  _("the AI services account whose key the secret holds "
                    "(Left/Right: the next one)"));
    return _("the account picked above");
}

static struct form *
src_page_current(struct app *a, struct rotsrc *r)
{
    struct source_change sc = {.current = r->current};
    const char *acct = plan_source_account_of(&sc);
    struct form *f = form_new();
    char *t = xasprintf(_("Secret        %s in %s"), r->name,
                        r->vault_name ? r->vault_name : r->vault_uri);
    form_add_info(f, t);
    free(t);
    t = xasprintf(_("Version       %.8s… (the latest)"),
                  r->current->version ? r->current->version : "?");
    form_add_info(f, t);
    free(t);
    const char *at = NULL;
    if (r->sub == NULL) {
        t = xasprintf(_("Key of        %s (AI services account)"),
                      src_account_name(acct));
        form_add_info(f, t);
        free(t);
    } else {
        at = src_add_pick(a, r, f);
    }
    form_add_info(f, "");
    if (r->sub != NULL && at == NULL) {
        /* nothing to regenerate at: only the plain rotation */
        const char *how[] = {_("type or generate a value here")};
        r->f_how = form_add_choice(f, _("New value"), how, 1, 0);
        return f;
    }
    form_add_info(f, _("The account has two keys so that a rotation needs no "
                       "outage: kvdeck finds which key the secret holds, "
                       "regenerates the other one, stores it as a new "
                       "version and checks it at the account's endpoint. "
                       "The key applications use now is not touched."));
    form_add_info(f, "");
    t = xasprintf(_("regenerate at %s"),
                  at != NULL ? at : src_account_name(acct));
    const char *how[] = {t, _("type or generate a value here")};
    r->f_how = form_add_choice(f, _("New value"), how, 2, SRC_HOW_SOURCE);
    free(t);
    return f;
}

static struct form *
src_page_retire(struct rotsrc *r)
{
    struct form *f = form_new();
    r->retire_form = f;
    form_add_info(f, _("Once the new key is stored and answers at the "
                       "endpoint, the old version's key can be regenerated "
                       "too, so that a leaked copy stops working — after "
                       "every application reads the new version."));
    form_add_info(f, "");
    const char *retire[] = {_("keep it valid"),
                            _("regenerate it now (old version disabled)"),
                            _("regenerate it after a grace period")};
    r->f_retire = form_add_choice(f, _("Old key"), retire, 3, SRC_KEEP);
    form_set_hint(f, r->f_retire,
                  _("only after the new key is verified at the endpoint"));
    r->f_grace =
        form_add_text(f, _("Grace period"), "7d", 16, src_check_grace, r);
    return f;
}

static struct form *
src_page(struct app *a, struct wizard *w, int i)
{
    struct rotsrc *r = wizard_priv(w);
    if (i == SRC_PAGE_RETIRE)
        return src_page_retire(r);
    if (r->current != NULL && (r->sub == NULL || r->acct_done))
        return src_page_current(a, r);
    if (r->current != NULL) {
        if (r->acct_job == 0)
            r->acct_job =
                wizard_submit(a, w, job_list_ai_accounts(r->sub, NULL));
        return NULL;
    }
    if (r->job == 0 && !r->read_done)
        r->job = wizard_submit(
            a, w, job_get_secret_value(r->vault_uri, r->name, NULL));
    return NULL;
}

static const char *
src_loading(struct app *a, struct wizard *w)
{
    (void)a;
    struct rotsrc *r = wizard_priv(w);
    return r->current != NULL ? _("Listing the AI services accounts…")
                              : _("Reading the latest version…");
}

/* Closes this wizard and opens the plain rotate wizard on the same
 * secret (its strings copied first: closing frees them). */
static void
src_to_plain(struct app *a, struct wizard *w)
{
    struct rotsrc *r = wizard_priv(w);
    char *uri = xstrdup(r->vault_uri), *name = xstrdup(r->name);
    char *vname = r->vault_name ? xstrdup(r->vault_name) : NULL;
    wizard_close(a, w);
    wizard_rotate_start(a, uri, vname, name);
    free(uri);
    free(vname);
    free(name);
}

/* The accounts to pick from, as they come. */
static void
src_on_accounts(struct app *a, struct wizard *w, struct result *r)
{
    struct rotsrc *rs = wizard_priv(w);
    if (r->type == RESULT_PAGE) {
        while (r->items.len > 0)
            vec_push(&rs->accounts, vec_remove(&r->items, 0));
        return;
    }
    if (r->type != RESULT_ERROR && r->type != RESULT_DONE)
        return;
    if (r->type == RESULT_ERROR) {
        free(rs->acct_error);
        rs->acct_error =
            xstrdup(r->message ? r->message : kv_status_message(r->status));
    }
    rs->acct_job = 0;
    rs->acct_done = true;
    wizard_update(a, w);
}

/* The latest version: keep its metadata, drop its value at once. */
static void
src_on_result(struct app *a, struct wizard *w, struct result *r)
{
    struct rotsrc *rs = wizard_priv(w);
    secret_free(r->value);
    r->value = NULL;
    if (rs->acct_job != 0 && r->job_id == rs->acct_job) {
        src_on_accounts(a, w, r);
        return;
    }
    if (r->job_id != rs->job)
        return;
    if (r->type == RESULT_PAGE && r->items.len > 0 && rs->current == NULL) {
        rs->current = vec_remove(&r->items, 0);
        return;
    }
    if (r->type != RESULT_ERROR && r->type != RESULT_DONE)
        return;
    rs->job = 0;
    rs->read_done = true;
    struct source_change sc = {.current = rs->current};
    if (r->type == RESULT_ERROR || rs->current == NULL ||
        (rs->sub == NULL && plan_source_account_of(&sc) == NULL)) {
        /* no latest version, or it lost its tag meanwhile: the plain
         * rotation says why or asks for a value */
        src_to_plain(a, w);
        return;
    }
    wizard_update(a, w);
}

static bool
src_next(struct app *a, struct wizard *w, int i, struct form *f)
{
    struct rotsrc *r = wizard_priv(w);
    bool plain_only = r->sub != NULL && r->f_account == SRC_NONE;
    if (i != SRC_PAGE_CURRENT ||
        (!plain_only && form_choice(f, r->f_how) == SRC_HOW_SOURCE))
        return true;
    /* a value typed or generated here: the plain rotation */
    src_to_plain(a, w);
    return false;
}

static struct plan *
src_plan(struct app *a, struct wizard *w, char **why)
{
    (void)a;
    struct rotsrc *r = wizard_priv(w);
    struct form *f = wizard_form(w, SRC_PAGE_RETIRE);
    if (f == NULL || r->current == NULL) {
        *why = xstrdup(_("the wizard lost its pages; start again"));
        return NULL;
    }
    struct source_change sc = {.vault_uri = r->vault_uri,
                               .vault_name = r->vault_name,
                               .name = r->name,
                               .current = r->current};
    if (r->sub != NULL) {
        struct form *f1 = wizard_form(w, SRC_PAGE_CURRENT);
        size_t i = f1 != NULL && r->f_account != SRC_NONE
                       ? form_choice(f1, r->f_account)
                       : SRC_NONE;
        if (i >= r->accounts.len) {
            *why = xstrdup(_("no AI services account was picked"));
            return NULL;
        }
        const struct kv_ai_account *ac = r->accounts.items[i];
        sc.account_id = ac->id;
    }
    switch (form_choice(f, r->f_retire)) {
    case SRC_NOW:
        sc.retire = RETIRE_NOW;
        break;
    case SRC_LATER:
        sc.retire = RETIRE_LATER;
        time_parse_duration(form_text(f, r->f_grace), &sc.retire_after);
        break;
    default:
        sc.retire = RETIRE_KEEP;
        break;
    }
    r->retire = sc.retire;
    return plan_rotate_source(&sc, why);
}

/* Which key is live where, in the plan's own sentences; the new key is
 * in the vault and is not shown here. */
static void
src_end(struct app *a, struct wizard *w, struct plan *p)
{
    struct rotsrc *r = wizard_priv(w);
    const char *acct = plan_source_account(p);
    if (plan_finished(p)) {
        wizard_say(w, ST_OK, _("%s Rotated %s at its source (%s)."),
                   a->term.g.yes, r->name, acct ? acct : "?");
        if (r->retire == RETIRE_LATER)
            wizard_say(w, ST_NORMAL,
                       _("The old key stays valid until its grace period "
                         "ends; kvdeck reminds you (:pending)."));
    } else {
        struct wizard_outcome o;
        wizard_outcome_read(p, &o);
        char *head =
            xasprintf(_("The rotation of %s at its source stopped."), r->name);
        wizard_outcome_failure(a, w, &o, head);
        free(head);
    }
    char *sum = plan_source_summary(p);
    if (sum != NULL && *sum != '\0')
        wizard_say(w, plan_finished(p) ? ST_NORMAL : ST_WARNING, "%s", sum);
    free(sum);
    wizard_outcome_refresh(a, r->vault_uri, r->name);
}

static void
src_free(void *priv)
{
    struct rotsrc *r = priv;
    free(r->vault_uri);
    free(r->vault_name);
    free(r->name);
    kv_secret_version_free(r->current);
    free(r->sub);
    free(r->acct_error);
    for (size_t i = 0; i < r->accounts.len; i++)
        kv_ai_account_free(r->accounts.items[i]);
    vec_free(&r->accounts);
    free(r);
}

static const struct wizard_ops rotate_source_ops = {
    .name = "rotate-source",
    .pages = SRC_PAGES,
    .page = src_page,
    .next = src_next,
    .plan = src_plan,
    .end = src_end,
    .on_result = src_on_result,
    .loading = src_loading,
    .free = src_free,
};

static void
src_start(struct app *a, const char *vault_uri, const char *vault_name,
          const char *sub, const char *name)
{
    struct rotsrc *r = xcalloc(1, sizeof *r);
    r->vault_uri = xstrdup(vault_uri);
    r->vault_name = vault_name ? xstrdup(vault_name) : NULL;
    r->name = xstrdup(name);
    r->sub = sub ? xstrdup(sub) : NULL;
    r->f_account = SRC_NONE;
    vec_init(&r->accounts);
    char *t = xasprintf(_("Rotate %s at its source"), name);
    wizard_push(a, &rotate_source_ops, r, t);
    free(t);
}

void
wizard_rotate_source_start(struct app *a, const char *vault_uri,
                           const char *vault_name, const char *name)
{
    src_start(a, vault_uri, vault_name, NULL, name);
}

void
wizard_rotate_source_pick(struct app *a, const char *vault_uri,
                          const char *vault_name, const char *sub,
                          const char *name)
{
    src_start(a, vault_uri, vault_name, sub, name);
}
