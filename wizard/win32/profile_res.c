/* profile_res: load the --profile file or the embedded RCDATA profile. */
#include "profile_res.h"

#include <windows.h>

#include "resource.h"

static int report(const ms_cli *cli, profile_errors *errs)
{
    for (size_t i = 0; i < errs->count; i++)
        ms_print_error(cli, &errs->items[i].err);
    profile_errors_free(errs);
    return MS_EXIT_PROFILE;
}

int profile_res_load(const ms_cli *cli, profile **out)
{
    profile_errors errs;
    profile_errors_init(&errs);
    ms_code rc;
    if (cli->profile_path) {
        rc = profile_load_file(cli->profile_path, out, &errs);
    } else {
        HRSRC r = FindResourceW(NULL, MAKEINTRESOURCEW(IDR_PROFILE), (LPCWSTR)RT_RCDATA);
        HGLOBAL g = r ? LoadResource(NULL, r) : NULL;
        const char *data = g ? LockResource(g) : NULL;
        if (!data) {
            ms_error err;
            ms_fail(&err, MS_ERR_INTERNAL, "embedded profile");
            ms_print_error(cli, &err);
            return MS_EXIT_PROFILE;
        }
        rc = profile_load_json(data, SizeofResource(NULL, r), out, &errs);
    }
    if (rc != MS_OK)
        return report(cli, &errs);
    profile_errors_free(&errs);
    return MS_EXIT_OK;
}
