/* resource.h: ids shared by the .rc files and the C code. */
#ifndef MS_RESOURCE_H
#define MS_RESOURCE_H

#define IDI_APP 1

/* The embedded ISP profile (RCDATA), written by the build. */
#define IDR_PROFILE 200

/* Dialogs: one per wizard page, laid out in dialog units. The order of the
 * wizard is the order of the ids (wizard/ui/wizard.c). */
#define IDD_WELCOME 100
#define IDD_PROGRAMS 101
#define IDD_PASSWORD 102
#define IDD_CHANGES 103
#define IDD_APPLY 104
#define IDD_TEST 105
#define IDD_MANUAL 106
#define IDD_FINISH 107
#define IDD_UNDO 108
#define IDD_UNDO_DONE 109

/* Controls (every page has IDC_STEP: 'ステップ n / N') */
#define IDC_TITLE 1000
#define IDC_BODY 1001
#define IDC_STEP 1002
#define IDC_LIST 1003
#define IDC_STATUS 1004
#define IDC_RETRY 1005
#define IDC_MANUAL_LINK 1006
#define IDC_ACCOUNT_LABEL 1007
#define IDC_ACCOUNT 1008
#define IDC_PASSWORD_LABEL 1009
#define IDC_PASSWORD 1010
#define IDC_HINT 1011
#define IDC_PROGRESS 1012
#define IDC_BACKUP_LABEL 1013
#define IDC_BACKUP 1014
#define IDC_DIAG 1015
#define IDC_TO_PASSWORD 1016
#define IDC_PROGRAM_LABEL 1017
#define IDC_PROGRAM 1018
#define IDC_CODE_LABEL 1019
#define IDC_CODE 1020
#define IDC_OPEN_LOG 1021
#define IDC_COPY_REPORT 1022
#define IDC_UNDO 1023
#define IDC_SUPPORT 1024

/* Strings: the application */
#define IDS_APP_TITLE 1
#define IDS_STEP_FMT 2
#define IDS_BTN_BACK 3
#define IDS_BTN_NEXT 4
#define IDS_BTN_CANCEL 5
#define IDS_BTN_FINISH 6
#define IDS_ERR_PROFILE 7
#define IDS_ERR_START 8
#define IDS_CONFIRM_CANCEL 9
/* Page 1: welcome */
#define IDS_WELCOME_TITLE 10
#define IDS_WELCOME_BODY 11
#define IDS_WELCOME_ISP_FMT 12
#define IDS_WELCOME_OP25B 13
#define IDS_DEADLINE_END_FMT 14
#define IDS_DEADLINE_START_FMT 15
#define IDS_WELCOME_HAVE 16
#define IDS_SUPPORT_FMT 17
#define IDS_SUPPORT_HOURS_FMT 18
/* Page 2: programs found */
#define IDS_PROGRAMS_TITLE 20
#define IDS_PROGRAMS_SUB 21
#define IDS_COL_PROGRAM 22
#define IDS_COL_ACCOUNT 23
#define IDS_COL_STATE 24
#define IDS_SCANNING 25
#define IDS_RUNNING_FMT 26
#define IDS_NOTHING_FOUND 27
#define IDS_ALL_DONE 28
#define IDS_SELECT_CHANGES 29
#define IDS_NONE_SELECTED 30
#define IDS_SCAN_FAILED_FMT 31
#define IDS_PROGRAM_ERROR_FMT 32
/* Page 3: password */
#define IDS_PASSWORD_TITLE 40
#define IDS_PASSWORD_SUB 41
#define IDS_PASSWORD_BODY 42
#define IDS_PASSWORD_HINT 43
#define IDS_PASSWORD_EMPTY 44
#define IDS_PASSWORD_RETRY 45
/* Page 4: changes */
#define IDS_CHANGES_TITLE 50
#define IDS_CHANGES_SUB 51
#define IDS_CHANGES_BODY 52
#define IDS_CHANGES_BACKUP 53
/* Page 5: applying */
#define IDS_APPLY_TITLE 60
#define IDS_APPLY_SUB 61
#define IDS_APPLYING 62
#define IDS_APPLY_DONE 63
#define IDS_APPLY_FAILED_FMT 64
#define IDS_APPLY_CANCELLING 65
#define IDS_OUT_CHANGED 66
#define IDS_OUT_ADDED 67
#define IDS_OUT_ROLLED_BACK 68
#define IDS_OUT_FAILED 69
/* Page 6: test send */
#define IDS_TEST_TITLE 70
#define IDS_TEST_SUB 71
#define IDS_COL_RESULT 72
#define IDS_SENDING 73
#define IDS_SEND_OK 74
#define IDS_SEND_WAITING 75
#define IDS_TEST_ALL_OK 76
#define IDS_TEST_FAILED 77
#define IDS_TEST_AUTH_NEXT 78
#define IDS_SEND_SKIPPED 79
/* Page: manual steps */
#define IDS_MANUAL_TITLE 80
#define IDS_MANUAL_SUB 81
#define IDS_MANUAL_BODY 82
#define IDS_MANUAL_NONE 83
/* Page 7: finish */
#define IDS_FINISH_TITLE 90
#define IDS_FINISH_OK 91
#define IDS_FINISH_PARTIAL 92
#define IDS_FINISH_NOTHING 93
#define IDS_FINISH_CANCELLED 94
#define IDS_UNDO_CONFIRM 95
#define IDS_UNDO_DONE 96
#define IDS_UNDO_FAILED_FMT 97
#define IDS_REPORT_COPIED 98
#define IDS_FINISH_SEND_FAILED 99
/* Undo (--undo) */
#define IDS_UNDO_TITLE 110
#define IDS_UNDO_BODY_FMT 111
#define IDS_UNDO_NONE 112
#define IDS_UNDO_DONE_TITLE 113
#define IDS_UNDOING 114
#define IDS_UNDO_SUB 115
#define IDS_PROGRAM_MANUAL 116
#define IDS_ONLY_BY_HAND 117 /* issue 18: nothing automatic, only steps by hand */
/* issue 15: programs set by hand, pre-flight check, DPI (150-169) */
#define IDS_BY_HAND_ONLY 150
#define IDS_CHECKING 151
#define IDS_CHECK_OK 152
#define IDS_CHECK_FAILED 153
#define IDS_CHECK_NEXT_STEP 154
#define IDS_STATE_CHANGE 155
#define IDS_STATE_DONE 156
#define IDS_STATE_NOT_ISP 157
#define IDS_STATE_ADD 158
#define IDS_STATE_REPLACED 159
/* Trust (issue 13): a profile from a file, clear text, an interrupted run */
#define IDS_PROFILE_FROM_FILE_FMT 130
#define IDS_CLEARTEXT_NOTE 131
#define IDS_INTERRUPTED_TITLE 132
#define IDS_INTERRUPTED_SUB 133
#define IDS_INTERRUPTED_BODY_FMT 134
/* Mail program names, IDS_PROG_BASE + ms_program */
#define IDS_PROG_BASE 200

#endif
