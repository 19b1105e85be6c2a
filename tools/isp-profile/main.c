/* isp-profile: the ISP engineer's tool around a profile (Linux host build).
 *   isp-profile [--lang ja|en] import-autoconfig FILE.xml [-o OUT.json]
 *   isp-profile [--lang ja|en] export-autoconfig PROFILE [-o OUT.xml]
 *   isp-profile [--lang ja|en] export-mobileconfig PROFILE [-o OUT.mobileconfig]
 *   isp-profile [--lang ja|en] export-autodiscover PROFILE [--email ADDR] [-o OUT.xml]
 *   isp-profile [--lang ja|en] render-manual PROFILE [--program NAME] [-o OUT.html]
 * Output goes to standard output unless -o names a file (written
 * atomically). Notes about what a format cannot hold go to standard error.
 * Exit codes as mailsetup's (docs/cli.md): 0 ok, 1 failed, 2 usage,
 * 3 invalid profile (including an imported skeleton that does not validate). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "isp_formats.h"
#include "platform.h"
#include "profile.h"

typedef struct opts {
    ms_lang lang;
    const char *cmd, *input, *output, *program, *email;
} opts;

static int usage(const opts *o, const char *what)
{
    ms_error err;
    ms_cli cli = {o->lang, NULL};
    ms_fail(&err, MS_ERR_USAGE,
            "%s (isp-profile import-autoconfig|export-autoconfig|"
            "export-mobileconfig|export-autodiscover|render-manual FILE [-o OUT] "
            "[--program NAME] [--email ADDR] [--lang ja|en])",
            what);
    ms_print_error(&cli, &err);
    return MS_EXIT_USAGE;
}

static int fail(const opts *o, const ms_error *err)
{
    ms_cli cli = {o->lang, NULL};
    ms_print_error(&cli, err);
    return MS_EXIT_FAILURE;
}

static int emit(const opts *o, const strbuf *data, const strbuf *notes)
{
    if (notes->len)
        ms_errout("%s", notes->buf);
    if (!o->output) {
        ms_platform_write(MS_STDOUT, data->buf, data->len);
        return MS_EXIT_OK;
    }
    ms_error err;
    if (ms_file_write_atomic(o->output, data->buf, data->len, &err) != MS_OK)
        return fail(o, &err);
    return MS_EXIT_OK;
}

static int cmd_import(const opts *o)
{
    strbuf xml, json, notes;
    strbuf_init(&xml);
    strbuf_init(&json);
    strbuf_init(&notes);
    ms_error err;
    int rc;
    if (ms_file_read(o->input, AUTOCONFIG_MAX_BYTES, &xml, &err) != MS_OK ||
        autoconfig_import(xml.buf, xml.len, &json, &notes, &err) != MS_OK) {
        rc = fail(o, &err);
        goto out;
    }
    /* The skeleton must be a valid profile, or the engineer is told why. */
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code lr = profile_load_json(json.buf, json.len, &p, &errs);
    profile_free(p);
    rc = emit(o, &json, &notes);
    if (lr != MS_OK) {
        profile_print_errors(o->output ? o->output : "(import)", &errs, lr, o->lang);
        rc = MS_EXIT_PROFILE;
    }
    profile_errors_free(&errs);
out:
    strbuf_free(&xml);
    strbuf_free(&json);
    strbuf_free(&notes);
    return rc;
}

static int cmd_export(const opts *o)
{
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code lr = profile_load_file(o->input, &p, &errs);
    if (lr != MS_OK) {
        profile_print_errors(o->input, &errs, lr, o->lang);
        profile_errors_free(&errs);
        return lr == MS_ERR_IO_READ || lr == MS_ERR_NOMEM ? MS_EXIT_FAILURE : MS_EXIT_PROFILE;
    }
    profile_errors_free(&errs);

    strbuf data, notes;
    strbuf_init(&data);
    strbuf_init(&notes);
    ms_error err;
    ms_code rc;
    if (strcmp(o->cmd, "export-autoconfig") == 0)
        rc = autoconfig_export(p, &data, &notes, &err);
    else if (strcmp(o->cmd, "export-mobileconfig") == 0)
        rc = mobileconfig_export(p, o->lang, &data, &notes, &err);
    else if (strcmp(o->cmd, "export-autodiscover") == 0)
        rc = autodiscover_export(p, o->email, &data, &notes, &err);
    else
        rc = manual_render_html(p, o->program, o->lang, &data, &err);
    int ex = rc == MS_OK ? emit(o, &data, &notes) : fail(o, &err);
    if (rc == MS_ERR_USAGE)
        ex = MS_EXIT_USAGE;
    strbuf_free(&data);
    strbuf_free(&notes);
    profile_free(p);
    return ex;
}

int main(int argc, char **argv)
{
    opts o = {ms_platform_ui_lang(), NULL, NULL, NULL, NULL, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--lang") == 0 && has_value) {
            int l = ms_lang_parse(argv[++i]);
            if (l < 0)
                return usage(&o, argv[i]);
            o.lang = (ms_lang)l;
        } else if (strcmp(a, "-o") == 0 && has_value) {
            o.output = argv[++i];
        } else if (strcmp(a, "--program") == 0 && has_value) {
            o.program = argv[++i];
        } else if (strcmp(a, "--email") == 0 && has_value) {
            o.email = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage(&o, a);
        } else if (!o.cmd) {
            o.cmd = a;
        } else if (!o.input) {
            o.input = a;
        } else {
            return usage(&o, a);
        }
    }
    if (!o.cmd || !o.input)
        return usage(&o, o.cmd ? o.cmd : "");
    if (strcmp(o.cmd, "import-autoconfig") == 0) {
        if (o.email)
            return usage(&o, "--email");
        if (o.program)
            return usage(&o, "--program");
        return cmd_import(&o);
    }
    if (strcmp(o.cmd, "export-autoconfig") == 0 || strcmp(o.cmd, "export-mobileconfig") == 0 ||
        strcmp(o.cmd, "export-autodiscover") == 0 || strcmp(o.cmd, "render-manual") == 0) {
        if (o.program && strcmp(o.cmd, "render-manual") != 0)
            return usage(&o, "--program");
        if (o.email && strcmp(o.cmd, "export-autodiscover") != 0)
            return usage(&o, "--email");
        return cmd_export(&o);
    }
    return usage(&o, o.cmd);
}
