/* mailsetup (Linux host build): the command line of the portable core, for
 * ISP engineers and CI (profile check, exports, probe). No mail programs
 * here. */
#include "cli.h"
#include "probe.h"

static const ms_cli_verb *const host_verbs[] = {&probe_verb};

int main(int argc, char **argv)
{
    ms_cli cli;
    int rc = ms_cli_main(&cli, argc, argv, host_verbs, 1);
    if (rc < 0) {
        ms_error err;
        ms_fail(&err, MS_ERR_USAGE, "%s", "mailsetup --help");
        ms_print_error(&cli, &err);
        return MS_EXIT_USAGE;
    }
    return rc;
}
