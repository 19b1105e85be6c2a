/* comapi: the COM interfaces of the two account APIs, declared in plain C
 * from their documentation, so that portable code can drive them and unit
 * tests on Linux can fake them (a vtable implemented in the test). The
 * layouts match the real objects on Windows: same member order (including
 * the "placeholder" members the documentation lists), 32-bit ULONG/DWORD,
 * 16-bit WCHAR and __stdcall on 32-bit x86.
 *   - Outlook's Account Management API (IOlkAccountManager, IOlkAccount,
 *     IOlkAccountHelper): Microsoft, "Account Management API reference"
 *     (learn.microsoft.com/office/client-developer/outlook/auxiliary/).
 *   - The Internet Account Manager of Outlook Express (IImnAccountManager,
 *     IImnAccount, msoeacct.dll): Microsoft, "IImnAccountManager interface"
 *     (learn.microsoft.com/previous-versions/windows/desktop/oe/) and the
 *     member order of imnact.h.
 * Ids and values with their sources: docs/account-apis.md. */
#ifndef MS_COMAPI_H
#define MS_COMAPI_H

#include <stdint.h>

#if defined(_WIN32) && defined(__i386__)
#define MS_STDCALL __attribute__((stdcall))
#else
#define MS_STDCALL
#endif

typedef int32_t ms_hresult;
typedef uint16_t ms_wchar;

typedef struct ms_guid {
    uint32_t d1;
    uint16_t d2, d3;
    uint8_t d4[8];
} ms_guid;

#define MS_S_OK ((ms_hresult)0)
#define MS_S_FALSE ((ms_hresult)1)
#define MS_FAILED(hr) ((hr) < 0)
#define MS_E_NOTIMPL ((ms_hresult)0x80004001u)
#define MS_E_NOINTERFACE ((ms_hresult)0x80004002u)
#define MS_E_FAIL ((ms_hresult)0x80004005u)
#define MS_E_INVALIDARG ((ms_hresult)0x80070057u)

/* A member the documentation lists as "placeholder, not supported": never
 * called, only keeps the following members at their place. */
typedef void (*ms_com_placeholder)(void);

/* ---- Outlook: the Account Management API */

/* ACCT_VARIANT.dwType values (MAPI property types). */
#define OLK_PT_LONG 0x0003u
#define OLK_PT_UNICODE 0x001Fu
#define OLK_PT_BINARY 0x0102u

/* Property tags (PROP_TAG(type, id)). */
#define OLK_PROP_ACCT_ID 0x00010003u
#define OLK_PROP_ACCT_NAME 0x0002001Fu
#define OLK_PROP_ACCT_USER_DISPLAY_NAME 0x000B001Fu
#define OLK_PROP_ACCT_USER_EMAIL_ADDR 0x000C001Fu
#define OLK_PROP_INET_SERVER 0x0100001Fu
#define OLK_PROP_INET_USER 0x0101001Fu
#define OLK_PROP_INET_PORT 0x01040003u
#define OLK_PROP_INET_SSL 0x01050003u
#define OLK_PROP_SMTP_SERVER 0x0200001Fu
#define OLK_PROP_SMTP_PORT 0x02010003u
#define OLK_PROP_SMTP_SSL 0x02020003u
#define OLK_PROP_SMTP_USE_AUTH 0x02030003u
#define OLK_PROP_SMTP_USER 0x0204001Fu
#define OLK_PROP_SMTP_USE_SPA 0x02070003u
#define OLK_PROP_SMTP_AUTH_METHOD 0x02080003u
#define OLK_PROP_SMTP_SECURE_CONNECTION 0x020A0003u

/* PROP_SMTP_AUTH_METHOD values. */
#define OLK_SMTP_AUTH_SAME_AS_POP 0u
#define OLK_SMTP_AUTH_USER_PASS 1u
#define OLK_SMTP_AUTH_RECEIVE_BEFORE_SEND 2u
/* PROP_SMTP_SECURE_CONNECTION values. */
#define OLK_ENCRYPT_CONN_NO_SECURITY 0u
#define OLK_ENCRYPT_CONN_SSL 1u
#define OLK_ENCRYPT_CONN_TLS 2u
#define OLK_ENCRYPT_CONN_AUTO 3u

#define OLK_ACCOUNT_NO_FLAGS 0u
#define OLK_ACCT_INIT_NOSYNCH_MAPI_ACCTS 0x00000001u
#define OLK_E_ACCT_NOT_FOUND ((ms_hresult)0x800C8101u)
#define OLK_E_PROP_READ_ONLY ((ms_hresult)0x800C800Du)

typedef struct olk_acct_bin {
    uint32_t cb;
    uint8_t *pb;
} olk_acct_bin;

typedef struct olk_acct_variant {
    uint32_t dwType;
    union {
        uint32_t dw;
        ms_wchar *pwsz;
        olk_acct_bin bin;
    } Val;
} olk_acct_variant;

typedef struct IOlkAccount IOlkAccount;
typedef struct IOlkAccountManager IOlkAccountManager;
typedef struct IOlkAccountHelper IOlkAccountHelper;

typedef struct IOlkAccountVtbl {
    ms_hresult(MS_STDCALL *QueryInterface)(IOlkAccount *self, const ms_guid *riid, void **ppv);
    uint32_t(MS_STDCALL *AddRef)(IOlkAccount *self);
    uint32_t(MS_STDCALL *Release)(IOlkAccount *self);
    /* IOlkErrorUnknown */
    ms_hresult(MS_STDCALL *GetLastError)(IOlkAccount *self, ms_hresult hr, ms_wchar **ppwszError);
    ms_com_placeholder placeholder1[6];
    ms_hresult(MS_STDCALL *GetAccountInfo)(IOlkAccount *self, ms_guid *pclsidType,
                                           uint32_t *pcCategories, ms_guid **prgclsidCategory);
    ms_hresult(MS_STDCALL *GetProp)(IOlkAccount *self, uint32_t dwProp, olk_acct_variant *pVar);
    ms_hresult(MS_STDCALL *SetProp)(IOlkAccount *self, uint32_t dwProp, olk_acct_variant *pVar);
    ms_com_placeholder placeholder2[3];
    ms_hresult(MS_STDCALL *FreeMemory)(IOlkAccount *self, uint8_t *pv);
    ms_com_placeholder placeholder3;
    ms_hresult(MS_STDCALL *SaveChanges)(IOlkAccount *self, uint32_t dwFlags);
} IOlkAccountVtbl;

struct IOlkAccount {
    const IOlkAccountVtbl *lpVtbl;
};

typedef struct IOlkAccountManagerVtbl {
    ms_hresult(MS_STDCALL *QueryInterface)(IOlkAccountManager *self, const ms_guid *riid,
                                           void **ppv);
    uint32_t(MS_STDCALL *AddRef)(IOlkAccountManager *self);
    uint32_t(MS_STDCALL *Release)(IOlkAccountManager *self);
    ms_hresult(MS_STDCALL *GetLastError)(IOlkAccountManager *self, ms_hresult hr,
                                         ms_wchar **ppwszError);
    ms_hresult(MS_STDCALL *Init)(IOlkAccountManager *self, IOlkAccountHelper *pAcctHelper,
                                 uint32_t dwFlags);
    /* DisplayAccountList (2007 and later; a placeholder in 2003): not used. */
    ms_com_placeholder DisplayAccountList;
    ms_com_placeholder placeholder1[5];
    ms_hresult(MS_STDCALL *FindAccount)(IOlkAccountManager *self, uint32_t dwProp,
                                        olk_acct_variant *pVar, IOlkAccount **ppAccount);
    ms_com_placeholder placeholder2[3];
    ms_com_placeholder DeleteAccount;
    ms_com_placeholder placeholder3;
    ms_com_placeholder SaveChanges; /* (account id, flags): not used */
    ms_com_placeholder GetOrder;
    ms_com_placeholder SetOrder;
    ms_com_placeholder EnumerateAccounts;
    ms_com_placeholder placeholder4[2];
    ms_hresult(MS_STDCALL *FreeMemory)(IOlkAccountManager *self, uint8_t *pv);
    ms_com_placeholder Advise;
    ms_com_placeholder Unadvise;
    ms_com_placeholder placeholder5[3];
} IOlkAccountManagerVtbl;

struct IOlkAccountManager {
    const IOlkAccountManagerVtbl *lpVtbl;
};

typedef struct IOlkAccountHelperVtbl {
    ms_hresult(MS_STDCALL *QueryInterface)(IOlkAccountHelper *self, const ms_guid *riid,
                                           void **ppv);
    uint32_t(MS_STDCALL *AddRef)(IOlkAccountHelper *self);
    uint32_t(MS_STDCALL *Release)(IOlkAccountHelper *self);
    ms_hresult(MS_STDCALL *PlaceHolder1)(IOlkAccountHelper *self, void *unused);
    ms_hresult(MS_STDCALL *GetIdentity)(IOlkAccountHelper *self, ms_wchar *pwszIdentity,
                                        uint32_t *pcch);
    ms_hresult(MS_STDCALL *GetMapiSession)(IOlkAccountHelper *self, void **ppmsess);
    ms_hresult(MS_STDCALL *HandsOffSession)(IOlkAccountHelper *self);
} IOlkAccountHelperVtbl;

struct IOlkAccountHelper {
    const IOlkAccountHelperVtbl *lpVtbl;
};

extern const ms_guid olk_clsid_account_manager; /* {ed475410-b0d6-11d2-8c3b-00104b2a6676} */
extern const ms_guid olk_iid_account_manager;   /* {9240a6cd-af41-11d2-8c3b-00104b2a6676} */
extern const ms_guid olk_iid_account_helper;    /* {9240a6cb-af41-11d2-8c3b-00104b2a6676} */
extern const ms_guid olk_iid_account;           /* {9240a6d2-af41-11d2-8c3b-00104b2a6676} */
extern const ms_guid ms_iid_iunknown;           /* {00000000-0000-0000-c000-000000000046} */

/* ---- Outlook Express: the Internet Account Manager */

/* PROPTAG(type, AP_FIRST + n) = ((0x1234 + n) << 16) | type, with the
 * PROPTYPE values TYPE_DWORD 1001, TYPE_STRING 1008, TYPE_BOOL 1013. */
#define IMN_PROPTAG(type, n) ((((uint32_t)0x1234u + (n)) << 16) | (uint32_t)(type))
#define IMN_TYPE_DWORD 1001u
#define IMN_TYPE_STRING 1008u
#define IMN_TYPE_BOOL 1013u
#define IMN_AP_ACCOUNT_NAME IMN_PROPTAG(IMN_TYPE_STRING, 1u)
#define IMN_AP_ACCOUNT_ID IMN_PROPTAG(IMN_TYPE_STRING, 9u)
#define IMN_AP_IMAP_SERVER IMN_PROPTAG(IMN_TYPE_STRING, 100u)
#define IMN_AP_IMAP_USERNAME IMN_PROPTAG(IMN_TYPE_STRING, 101u)
#define IMN_AP_POP3_SERVER IMN_PROPTAG(IMN_TYPE_STRING, 400u)
#define IMN_AP_POP3_USERNAME IMN_PROPTAG(IMN_TYPE_STRING, 401u)
#define IMN_AP_SMTP_SERVER IMN_PROPTAG(IMN_TYPE_STRING, 500u)
#define IMN_AP_SMTP_USERNAME IMN_PROPTAG(IMN_TYPE_STRING, 501u)
#define IMN_AP_SMTP_USE_SICILY IMN_PROPTAG(IMN_TYPE_DWORD, 504u)
#define IMN_AP_SMTP_PORT IMN_PROPTAG(IMN_TYPE_DWORD, 505u)
#define IMN_AP_SMTP_SSL IMN_PROPTAG(IMN_TYPE_BOOL, 506u)

/* SMTPAUTHTYPE, the values of AP_SMTP_USE_SICILY. */
#define IMN_SMTP_AUTH_NONE 0u
#define IMN_SMTP_AUTH_SICILY 1u
#define IMN_SMTP_AUTH_USE_POP3ORIMAP_SETTINGS 2u
#define IMN_SMTP_AUTH_USE_SMTP_SETTINGS 3u

typedef struct IImnAccount IImnAccount;
typedef struct IImnAccountManager IImnAccountManager;

typedef struct IImnAccountVtbl {
    ms_hresult(MS_STDCALL *QueryInterface)(IImnAccount *self, const ms_guid *riid, void **ppv);
    uint32_t(MS_STDCALL *AddRef)(IImnAccount *self);
    uint32_t(MS_STDCALL *Release)(IImnAccount *self);
    /* IPropertyContainer */
    ms_hresult(MS_STDCALL *GetProp)(IImnAccount *self, uint32_t dwPropTag, uint8_t *pb,
                                    uint32_t *pcb);
    ms_hresult(MS_STDCALL *GetPropDw)(IImnAccount *self, uint32_t dwPropTag, uint32_t *pdw);
    ms_hresult(MS_STDCALL *GetPropSz)(IImnAccount *self, uint32_t dwPropTag, char *psz,
                                      uint32_t cchMax);
    ms_hresult(MS_STDCALL *SetProp)(IImnAccount *self, uint32_t dwPropTag, uint8_t *pb,
                                    uint32_t cb);
    ms_hresult(MS_STDCALL *SetPropDw)(IImnAccount *self, uint32_t dwPropTag, uint32_t dw);
    ms_hresult(MS_STDCALL *SetPropSz)(IImnAccount *self, uint32_t dwPropTag, char *psz);
    /* IImnAccount */
    ms_hresult(MS_STDCALL *Exist)(IImnAccount *self);
    ms_hresult(MS_STDCALL *SetAsDefault)(IImnAccount *self);
    ms_com_placeholder Delete;
    ms_hresult(MS_STDCALL *SaveChanges)(IImnAccount *self);
    ms_com_placeholder GetAccountType;
    ms_com_placeholder GetServerTypes;
    ms_com_placeholder ShowProperties;
    ms_com_placeholder ValidateProperty;
    ms_com_placeholder DoWizard;
    ms_com_placeholder DoImportWizard;
} IImnAccountVtbl;

struct IImnAccount {
    const IImnAccountVtbl *lpVtbl;
};

typedef struct IImnAccountManagerVtbl {
    ms_hresult(MS_STDCALL *QueryInterface)(IImnAccountManager *self, const ms_guid *riid,
                                           void **ppv);
    uint32_t(MS_STDCALL *AddRef)(IImnAccountManager *self);
    uint32_t(MS_STDCALL *Release)(IImnAccountManager *self);
    ms_hresult(MS_STDCALL *Init)(IImnAccountManager *self, void *pAdviseMigrateServer);
    ms_com_placeholder CreateAccountObject;
    ms_com_placeholder Enumerate;
    ms_com_placeholder GetAccountCount;
    ms_hresult(MS_STDCALL *FindAccount)(IImnAccountManager *self, uint32_t dwPropTag,
                                        const char *pszSearchData, IImnAccount **ppAccount);
    ms_com_placeholder GetDefaultAccount;
    ms_com_placeholder GetDefaultAccountName;
    ms_com_placeholder ProcessNotification;
    ms_com_placeholder ValidateDefaultSendAccount;
    ms_com_placeholder AccountListDialog;
    ms_com_placeholder Advise;
    ms_com_placeholder Unadvise;
    ms_com_placeholder GetUniqueAccountName;
    ms_com_placeholder InitEx;
    /* IImnAccountManager2 (QueryInterface for it first) */
    ms_hresult(MS_STDCALL *InitUser)(IImnAccountManager *self, void *pAdviseMigrateServer,
                                     const ms_guid *rguidID, uint32_t dwFlags);
} IImnAccountManagerVtbl;

struct IImnAccountManager {
    const IImnAccountManagerVtbl *lpVtbl;
};

extern const ms_guid imn_clsid_account_manager; /* {8D4B04E1-1331-11D0-81B8-00C04FD85AB4} */
extern const ms_guid imn_iid_account_manager;   /* {FD465481-1384-11D0-ABBD-0020AFDFD10A} */
extern const ms_guid imn_iid_account_manager2;  /* {C43DFC6F-62BB-11D2-A727-00C04F79E7C8} */

#endif
