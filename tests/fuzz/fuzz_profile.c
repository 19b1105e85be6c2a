/* Fuzz harness: the ISP profile loader must refuse any input cleanly (no
 * crash, leak or undefined behaviour) and, when it accepts one, hand back a
 * profile whose lookups work. */
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code rc = profile_load_json((const char *)data, size, &p, &errs);
    if (rc == MS_OK) {
        /* An accepted profile is complete: exercise what the wizard reads. */
        if (!p || errs.count)
            __builtin_trap();
        (void)profile_map_smtp_host(p, "mail.example.ne.jp");
        (void)profile_map_incoming_host(p, "pop.example.ne.jp");
        (void)profile_owns_account(p, "a@example.ne.jp", "pop.example.ne.jp", NULL);
        (void)profile_incoming_target(p);
        (void)profile_outgoing_target(p);
        (void)profile_text_any(&p->explanation, MS_LANG_EN);
        profile_free(p);
    } else if (p || errs.count == 0) {
        /* A refusal always says why and never leaks a profile. */
        __builtin_trap();
    }
    profile_errors_free(&errs);
    return 0;
}
