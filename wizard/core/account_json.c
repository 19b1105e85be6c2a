/* account_json: JSON in and out for accounts and plans (cJSON). */
#include "account_json.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static const char *const security_ids[] = {"none", "starttls", "ssl"};
static const char *const auth_ids[] = {"none", "same_as_incoming", "own", "spa"};
static const char *const proto_ids[] = {"pop3", "imap", "other"};

static int index_of(const char *const *ids, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(ids[i], s) == 0)
            return i;
    return -1;
}

int account_program_parse(const char *s)
{
    for (int i = 0; s && i < MS_PROG_COUNT; i++)
        if (strcmp(account_program_id((ms_program)i), s) == 0)
            return i;
    return -1;
}

int account_security_parse(const char *s)
{
    return index_of(security_ids, 3, s);
}

int account_auth_parse(const char *s)
{
    return index_of(auth_ids, 4, s);
}

const char *account_security_id(ms_security s)
{
    return (unsigned)s < 3 ? security_ids[s] : "unknown";
}

const char *account_auth_id(ms_smtp_auth a)
{
    return (unsigned)a < 4 ? auth_ids[a] : "unknown";
}

/* Field table: JSON key -> where it goes. */
enum kind { K_STR, K_PORT, K_BOOL, K_PROGRAM, K_PROTO, K_AUTH, K_SEC };
struct field {
    const char *key;
    enum kind kind;
    size_t off;
};
#define F(key, kind, member)                                                                       \
    {                                                                                              \
        key, kind, offsetof(ms_account, member)                                                    \
    }
static const struct field fields[] = {
    F("program", K_PROGRAM, program),
    F("program_version", K_STR, program_version),
    F("id", K_STR, id),
    F("location", K_STR, location),
    F("container", K_STR, container),
    F("account_name", K_STR, account_name),
    F("display_name", K_STR, display_name),
    F("email", K_STR, email),
    F("incoming_protocol", K_PROTO, incoming_proto),
    F("incoming_host", K_STR, incoming_host),
    F("incoming_port", K_PORT, incoming_port),
    F("incoming_user", K_STR, incoming_user),
    F("incoming_security", K_SEC, incoming_security),
    F("smtp_host", K_STR, smtp_host),
    F("smtp_port", K_PORT, smtp_port),
    F("smtp_auth", K_AUTH, smtp_auth),
    F("smtp_user", K_STR, smtp_user),
    F("smtp_security", K_SEC, smtp_security),
    F("default", K_BOOL, is_default),
    F("summary_only", K_BOOL, summary_only),
};
#undef F

static ms_code set_field(ms_account *a, const struct field *f, const cJSON *v, size_t idx,
                         ms_error *err)
{
    char *base = (char *)a;
    int e = -1;
    switch (f->kind) {
    case K_STR:
        if (!cJSON_IsString(v))
            break;
        free(*(char **)(void *)(base + f->off));
        if (!(*(char **)(void *)(base + f->off) = ms_strdup(v->valuestring)))
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        return MS_OK;
    case K_PORT:
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 65535 ||
            v->valuedouble != (double)v->valueint)
            break;
        *(unsigned *)(void *)(base + f->off) = (unsigned)v->valueint;
        return MS_OK;
    case K_BOOL:
        if (!cJSON_IsBool(v))
            break;
        *(bool *)(void *)(base + f->off) = cJSON_IsTrue(v);
        return MS_OK;
    case K_PROGRAM:
        e = cJSON_IsString(v) ? account_program_parse(v->valuestring) : -1;
        if (e < 0)
            break;
        a->program = (ms_program)e;
        return MS_OK;
    case K_PROTO:
        e = cJSON_IsString(v) ? index_of(proto_ids, 3, v->valuestring) : -1;
        if (e < 0)
            break;
        a->incoming_proto = (ms_incoming_proto)e;
        return MS_OK;
    case K_AUTH:
        e = cJSON_IsString(v) ? account_auth_parse(v->valuestring) : -1;
        if (e < 0)
            break;
        a->smtp_auth = (ms_smtp_auth)e;
        return MS_OK;
    case K_SEC:
        e = cJSON_IsString(v) ? account_security_parse(v->valuestring) : -1;
        if (e < 0)
            break;
        *(ms_security *)(void *)(base + f->off) = (ms_security)e;
        return MS_OK;
    }
    return ms_fail(err, MS_ERR_ACCOUNT_JSON, "$.accounts[%zu].%s", idx, f->key);
}

ms_code account_list_from_json(const char *json, size_t len, ms_account_list *out, ms_error *err)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root)
        return ms_fail(err, MS_ERR_ACCOUNT_JSON, "$");
    ms_code rc = MS_OK;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "accounts");
    if (!cJSON_IsArray(arr)) {
        rc = ms_fail(err, MS_ERR_ACCOUNT_JSON, "$.accounts");
        goto out;
    }
    size_t idx = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, arr)
    {
        if (!cJSON_IsObject(o)) {
            rc = ms_fail(err, MS_ERR_ACCOUNT_JSON, "$.accounts[%zu]", idx);
            goto out;
        }
        ms_account *a = account_list_add(out);
        if (!a) {
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            goto out;
        }
        a->smtp_port = 25;
        const cJSON *kv;
        cJSON_ArrayForEach(kv, o)
        {
            const struct field *f = NULL;
            for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
                if (strcmp(fields[i].key, kv->string) == 0)
                    f = &fields[i];
            if (!f) {
                rc = ms_fail(err, MS_ERR_ACCOUNT_JSON, "$.accounts[%zu].%s", idx, kv->string);
                goto out;
            }
            if ((rc = set_field(a, f, kv, idx, err)) != MS_OK)
                goto out;
        }
        idx++;
    }
out:
    cJSON_Delete(root);
    return rc;
}

static cJSON *account_to_json(const ms_account *a)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const char *base = (const char *)a;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const struct field *f = &fields[i];
        const void *p = base + f->off;
        /* Another provider's account read in part: what was not read is
         * left out rather than shown as a default. */
        if (a->summary_only ? f->kind == K_PORT || f->kind == K_AUTH || f->kind == K_SEC
                            : f->off == offsetof(ms_account, summary_only))
            continue;
        switch (f->kind) {
        case K_STR:
            if (*(char *const *)p)
                cJSON_AddStringToObject(o, f->key, *(char *const *)p);
            break;
        case K_PORT:
            cJSON_AddNumberToObject(o, f->key, *(const unsigned *)p);
            break;
        case K_BOOL:
            cJSON_AddBoolToObject(o, f->key, *(const bool *)p);
            break;
        case K_PROGRAM:
            cJSON_AddStringToObject(o, f->key, account_program_id(a->program));
            break;
        case K_PROTO:
            cJSON_AddStringToObject(o, f->key,
                                    proto_ids[(unsigned)a->incoming_proto < 3 ? a->incoming_proto
                                                                              : 2]);
            break;
        case K_AUTH:
            cJSON_AddStringToObject(o, f->key, account_auth_id(a->smtp_auth));
            break;
        case K_SEC:
            cJSON_AddStringToObject(o, f->key, account_security_id(*(const ms_security *)p));
            break;
        }
    }
    return o;
}

static cJSON *value_json(ms_field f, ms_value v)
{
    switch (f) {
    case MS_F_SMTP_PORT:
        return cJSON_CreateNumber(v.num);
    case MS_F_SMTP_AUTH:
        return cJSON_CreateString(account_auth_id((ms_smtp_auth)v.num));
    case MS_F_SMTP_SECURITY:
        return cJSON_CreateString(account_security_id((ms_security)v.num));
    case MS_F_DEFAULT:
        return cJSON_CreateBool(v.num != 0);
    default:
        return v.str ? cJSON_CreateString(v.str) : cJSON_CreateNull();
    }
}

/* "by_hand": the changes the program cannot hold, which the subscriber
 * makes in its own dialog, with the sentence that asks for them. */
static bool add_by_hand(cJSON *o, const plan_item *it, ms_lang lang, strbuf *sb)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "by_hand");
    if (!arr)
        return false;
    if (it->n_manual)
        cJSON_AddStringToObject(o, "by_hand_text", plan_manual_text(it, lang));
    for (size_t k = 0; k < it->n_manual; k++) {
        const ms_change *c = &it->manual[k];
        cJSON *co = cJSON_CreateObject();
        if (!co || !cJSON_AddItemToArray(arr, co)) {
            cJSON_Delete(co);
            return false;
        }
        cJSON_AddStringToObject(co, "field", account_field_id(c->field));
        cJSON_AddItemToObject(co, "from", value_json(c->field, c->from));
        cJSON_AddItemToObject(co, "to", value_json(c->field, c->to));
        strbuf_reset(sb);
        plan_describe_change(c, it->account->program, lang, sb);
        cJSON_AddStringToObject(co, "text", sb->buf);
    }
    return true;
}

ms_code plan_to_json(const ms_plan *plan, ms_lang lang, strbuf *out, ms_error *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "accounts") : NULL;
    bool ok = arr != NULL;
    strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; ok && i < plan->count; i++) {
        const plan_item *it = &plan->items[i];
        cJSON *o = account_to_json(it->account);
        ok = o && cJSON_AddItemToArray(arr, o);
        if (!ok)
            break;
        cJSON_AddStringToObject(o, "status", plan_status_id(it->status));
        cJSON_AddStringToObject(o, "status_text", plan_item_text(it, lang));
        cJSON *ch = cJSON_AddArrayToObject(o, "changes");
        for (size_t k = 0; ch && k < it->n_changes; k++) {
            const ms_change *c = &it->changes[k];
            cJSON *co = cJSON_CreateObject();
            if (!co || !cJSON_AddItemToArray(ch, co)) {
                cJSON_Delete(co);
                ok = false;
                break;
            }
            cJSON_AddStringToObject(co, "field", account_field_id(c->field));
            cJSON_AddItemToObject(co, "from", value_json(c->field, c->from));
            cJSON_AddItemToObject(co, "to", value_json(c->field, c->to));
            strbuf_reset(&sb);
            plan_describe_change(c, it->account->program, lang, &sb);
            cJSON_AddStringToObject(co, "text", sb.buf);
        }
        ok = ok && add_by_hand(o, it, lang, &sb);
        const char *note = plan_security_note_id(it->security_note);
        if (ok && note) {
            strbuf_reset(&sb);
            plan_describe_security_note(it, lang, &sb);
            cJSON_AddStringToObject(o, "security_note", note);
            cJSON_AddStringToObject(o, "security_note_text", sb.buf);
        }
    }
    char *s = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    strbuf_free(&sb);
    if (!s)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf_addstr(out, s);
    strbuf_addch(out, '\n');
    cJSON_free(s);
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}
