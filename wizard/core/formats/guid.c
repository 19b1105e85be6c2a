/* guid: random GUIDs; see guid.h. */
#include "guid.h"

#include "platform.h"

void guid_format(const unsigned char b[16], char out[GUID_STR_LEN + 1])
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    out[o++] = '{';
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o++] = '}';
    out[o] = '\0';
}

ms_code guid_random(char out[GUID_STR_LEN + 1], ms_error *err)
{
    unsigned char b[16];
    ms_code rc = ms_random_bytes(b, sizeof b, err);
    if (rc != MS_OK)
        return rc;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    guid_format(b, out);
    return MS_OK;
}
