/* mailsetup (Linux host build): the command line of the portable core, for
 * ISP engineers and CI (profile check, exports). No mail programs here. */
#include "cli.h"

int main(int argc, char **argv)
{
    ms_cli cli;
    int rc = ms_cli_main(&cli, argc, argv, NULL, 0);
    if (rc < 0) {
        ms_error err;
        ms_fail(&err, MS_ERR_USAGE, "%s", "mailsetup --help");
        ms_print_error(&cli, &err);
        return MS_EXIT_USAGE;
    }
    return rc;
}
