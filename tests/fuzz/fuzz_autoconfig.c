/* Fuzz harness: the Thunderbird autoconfig importer (libxml2) must refuse
 * any input cleanly, and what it accepts must be JSON the profile loader
 * can judge (valid or not, but never a crash). */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>

#include "isp_formats.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    strbuf json, notes;
    strbuf_init(&json);
    strbuf_init(&notes);
    ms_error err;
    if (autoconfig_import((const char *)data, size, &json, &notes, &err) == MS_OK) {
        cJSON *j = cJSON_ParseWithLength(json.buf, json.len);
        if (!j)
            __builtin_trap(); /* the importer wrote broken JSON */
        cJSON_Delete(j);
        profile_errors errs;
        profile_errors_init(&errs);
        profile *p = NULL;
        (void)profile_load_json(json.buf, json.len, &p, &errs);
        profile_free(p);
        profile_errors_free(&errs);
    }
    strbuf_free(&json);
    strbuf_free(&notes);
    return 0;
}
