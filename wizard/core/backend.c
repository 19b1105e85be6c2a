/* backend: the table of mail-program back-ends. */
#include "backend.h"

#include "be_wlmail.h"

/* Each back-end's file defines one of these. */

static const ms_backend *const backends[] = {
    &wlmail_backend_winmail,
    &wlmail_backend_wlmail,
    NULL, /* end marker; entries go above */
};

const ms_backend *const *backend_table(size_t *count)
{
    *count = sizeof backends / sizeof backends[0] - 1;
    return backends;
}
