/* resource.h: ids shared by the .rc files and the C code. */
#ifndef MS_RESOURCE_H
#define MS_RESOURCE_H

#define IDI_APP 1

/* The embedded ISP profile (RCDATA), written by the build. */
#define IDR_PROFILE 200

/* Dialogs: one per wizard page, laid out in dialog units. */
#define IDD_WELCOME 100

/* Controls */
#define IDC_TITLE 1000
#define IDC_BODY 1001
#define IDC_STEP 1002

/* Strings */
#define IDS_APP_TITLE 1
#define IDS_STEP_FMT 2
#define IDS_WELCOME_TITLE 10
#define IDS_WELCOME_BODY 11

#endif
