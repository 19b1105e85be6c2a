/* wine_roots: Wine's ROOT store as PEM for libcurl; see wine_roots.h. */
#include "wine_roots.h"

#ifdef _WIN32
#include <windows.h>
#include <wincrypt.h>

static bool under_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

bool net_wine_roots(strbuf *out)
{
    if (!under_wine())
        return false;
    HCERTSTORE store = CertOpenSystemStoreW(0, L"ROOT");
    if (!store)
        return false;
    PCCERT_CONTEXT c = NULL;
    while ((c = CertEnumCertificatesInStore(store, c)) != NULL) {
        DWORD n = 0;
        if (!CryptBinaryToStringA(c->pbCertEncoded, c->cbCertEncoded, CRYPT_STRING_BASE64HEADER,
                                  NULL, &n))
            continue;
        size_t at = out->len;
        if (!strbuf_grow(out, n))
            break;
        if (CryptBinaryToStringA(c->pbCertEncoded, c->cbCertEncoded, CRYPT_STRING_BASE64HEADER,
                                 out->buf + at, &n)) {
            out->len = at + n;
            out->buf[out->len] = '\0';
        }
    }
    CertCloseStore(store, 0);
    return out->len > 0;
}
#else
bool net_wine_roots(strbuf *out)
{
    (void)out;
    return false;
}
#endif
