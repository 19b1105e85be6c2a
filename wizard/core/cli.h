/* cli: the command line of mailsetup (both mailsetup.exe and the Linux host
 * build). Verbs the core can run itself live here; the platform adds its own
 * (scan, apply, undo, test-send) through the same table type. */
#ifndef MS_CLI_H
#define MS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "compat.h"

#include "error.h"

/* Exit codes; documented in docs/cli.md. */
enum ms_exit {
    MS_EXIT_OK = 0,
    MS_EXIT_FAILURE = 1,       /* the verb ran and failed */
    MS_EXIT_USAGE = 2,         /* bad command line */
    MS_EXIT_PROFILE = 3,       /* the ISP profile is invalid */
    MS_EXIT_NOTHING = 4,       /* nothing of the ISP found / nothing to do */
    MS_EXIT_BUSY = 5,          /* a mail program is running */
    MS_EXIT_ROLLED_BACK = 6,   /* a change failed and was rolled back */
    MS_EXIT_SEND_FAILED = 7,   /* the test send failed */
    MS_EXIT_BY_HAND = 8,       /* nothing to change here, but a program must be set by hand */
    MS_EXIT_INTERRUPTED = 9,   /* the last apply was interrupted: undo it first (T06) */
};

typedef struct ms_cli {
    ms_lang lang;
    const char *profile_path; /* --profile FILE, or NULL for the embedded one */
} ms_cli;

typedef struct ms_cli_verb {
    const char *name;    /* "profile", "scan", ... */
    const char *usage;   /* "profile check FILE" */
    /* The summary line; `mailsetup VERB --help` also prints the lines after
     * it: one per option, "  --json FILE|-   what it does". An option
     * followed by a placeholder (a word after one space) there or in usage
     * takes a value, so a global option is never read out of that value. */
    const char *help_ja;
    const char *help_en;
    int (*run)(ms_cli *cli, int argc, char **argv); /* argv[0] is the verb */
} ms_cli_verb;

/* Runs the command line (UTF-8 argv, argv[0] the program). platform_verbs
 * (an array of n_platform_verbs pointers) may be NULL. Returns the process
 * exit code. When there is no verb it returns -1: the caller starts the GUI.
 * Global options (--lang, --profile; "--lang=en" too) are parsed into *cli
 * for the GUI too; after the verb they may come anywhere before a "--" and
 * are taken out of the verb's argv. `VERB --help` prints that verb's help. */
int ms_cli_main(ms_cli *cli, int argc, char **argv, const ms_cli_verb *const *platform_verbs,
                size_t n_platform_verbs);

/* Whether opt ("--json") takes a value in verb v (from its usage and help). */
bool ms_cli_verb_takes_value(const ms_cli_verb *v, const char *opt);

/* printf to standard output / error, UTF-8. */
void ms_out(const char *fmt, ...)
MS_PRINTF(1, 2);
void ms_errout(const char *fmt, ...)
MS_PRINTF(1, 2);
/* Prints err's sentence (with its helpdesk code) to standard error. */
void ms_print_error(const ms_cli *cli, const ms_error *err);

#endif
