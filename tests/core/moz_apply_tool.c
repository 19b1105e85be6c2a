/* moz-apply-tool: the wizard's engine (scan, plan, apply with journal and
 * verify, undo) on a Mozilla profile tree on Linux, for
 * check_moz_thunderbird.py, which then has Debian's Thunderbird start on
 * the result.
 *   moz-apply-tool scan  APPDATA PROFILE.json          the plan as JSON
 *   moz-apply-tool apply APPDATA PROFILE.json BACKUP   the plan, then one
 *       line per changed account: "RESULT<TAB>id<TAB>outcome<TAB>code"
 *   moz-apply-tool undo  APPDATA BACKUP
 * BACKUP must be an existing, empty folder for apply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_json.h"
#include "engine.h"
#include "memreg.h"
#include "profile.h"

static int die(const char *what, const ms_error *err)
{
    fprintf(stderr, "moz-apply-tool: %s: [%s] %s\n", what, ms_code_name(err->code), err->detail);
    return 1;
}

static const char *const outcomes[] = {"skipped", "changed", "added", "rolled_back", "failed"};

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: moz-apply-tool scan|apply|undo APPDATA ...\n");
        return 2;
    }
    memreg *m = memreg_new(); /* no registry: only the Mozilla family is found */
    ms_env env = {.reg = memreg_reg(m), .appdata = argv[2], .home = argv[2]};
    ms_error err;
    int rc = 0;
    if (strcmp(argv[1], "undo") == 0) {
        if (engine_undo(&env, argv[3], &err) != MS_OK)
            rc = die("undo", &err);
        memreg_free(m);
        return rc;
    }
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    if (profile_load_file(argv[3], &p, &errs) != MS_OK) {
        fprintf(stderr, "moz-apply-tool: %s: bad profile\n", argv[3]);
        profile_errors_free(&errs);
        memreg_free(m);
        return 1;
    }
    profile_errors_free(&errs);
    ms_scan *s = NULL;
    strbuf js;
    strbuf_init(&js);
    engine_result *res = NULL;
    if (engine_scan(&env, p, NULL, NULL, &s, &err) != MS_OK) {
        rc = die("scan", &err);
        goto out;
    }
    if (plan_to_json(s->plan, MS_LANG_EN, &js, &err) != MS_OK) {
        rc = die("json", &err);
        goto out;
    }
    fputs(js.buf, stdout);
    if (strcmp(argv[1], "apply") == 0 && argc == 5) {
        ms_code arc = engine_apply(&env, s, NULL, NULL, NULL, argv[4], &res, &err);
        for (size_t i = 0; res && i < s->plan->count; i++)
            if (res[i].outcome != ENGINE_SKIPPED)
                printf("RESULT\t%s\t%s\t%s\n", s->plan->items[i].account->id,
                       outcomes[res[i].outcome],
                       res[i].outcome == ENGINE_CHANGED || res[i].outcome == ENGINE_ADDED
                           ? "-"
                           : ms_code_name(res[i].err.code));
        if (arc != MS_OK)
            rc = die("apply", &err);
    }
out:
    if (res)
        engine_results_free(res, s->plan->count);
    strbuf_free(&js);
    engine_scan_free(s);
    profile_free(p);
    memreg_free(m);
    return rc;
}
