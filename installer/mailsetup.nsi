; mailsetup.nsi: the per-ISP installer of the mail setup wizard: per user,
; no admin, Japanese and English, Start-menu entries to run and to undo, an
; uninstaller in Add/Remove Programs, and the wizard run at the end.
; scripts/build-isp compiles it (docs/distribution.md); it passes
;   MS_ISP_NSH     the ISP's !defines (installer/isp_files.py): MS_ID,
;                  MS_NAME_JA, MS_NAME_EN, MS_VERSION, MS_VERSION4 and the
;                  optional MS_SUPPORT_PHONE, MS_SUPPORT_WEB
;   MS_EXE_X86     the signed x86 mailsetup.exe (what the shortcuts run)
;   MS_EXE_X64     the signed x64 mailsetup.exe (installed in x64\)
;   MS_LICENSE_DIR the folder with COPYING.curl.txt and LICENSE.cJSON.txt
;   MS_OUTFILE     the installer to write
;   MS_TARGET      makensis target: x86-unicode (what ships; runs on every
;                  Windows from XP SP3) or amd64-unicode (the tests' Wine)
;   MS_SIGN        optional: scripts/sign, run on the uninstaller before it is
;                  packed and on the finished installer (certificate from the
;                  environment, never on this command line)

Unicode true
Target ${MS_TARGET}
; Every warning is a mistake in this script: fail the build on it.
!pragma warning error all

!include "${MS_ISP_NSH}"
!include "MUI2.nsh"
!include "LogicLib.nsh"

; 1 when the installer made %LOCALAPPDATA%\Programs (the uninstaller's copy)
Var MsCreatedPrograms

!define MS_UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${MS_ID}-mailsetup"

!ifdef MS_SIGN
  !uninstfinalize '"${MS_SIGN}" "%1"' = 0
  !finalize '"${MS_SIGN}" "%1"' = 0
!endif

Name "$(MS_PRODUCT)"
OutFile "${MS_OUTFILE}"
; Per user: %LOCALAPPDATA%\Programs is where per-user programs live (the
; folder Windows' own per-user installers use), writable without admin. The
; folder is named by the profile id (ASCII, [a-z0-9-]), not the display
; name, which could hold characters a file name cannot.
InstallDir "$LOCALAPPDATA\Programs\${MS_ID} mailsetup"
RequestExecutionLevel user
ManifestSupportedOS all
ManifestDPIAware true
SetCompressor /SOLID /FINAL lzma
ShowInstDetails nevershow
ShowUninstDetails nevershow
BrandingText "$(MS_PRODUCT) ${MS_VERSION}"

; ---- pages (no directory page: the per-user folder is fixed, which also
; keeps the uninstaller's deletes inside a folder that is ours)
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "$(MS_WELCOME_TEXT)"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\mailsetup.exe"
!define MUI_FINISHPAGE_RUN_TEXT "$(MS_RUN_NOW)"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; otherwise Windows' UI language picks.
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"

; ---- texts
LangString MS_PRODUCT ${LANG_JAPANESE} "${MS_NAME_JA} メール設定ツール"
LangString MS_PRODUCT ${LANG_ENGLISH} "${MS_NAME_EN} Mail Setup"
LangString MS_WELCOME_TEXT ${LANG_JAPANESE} "${MS_NAME_JA} のメール送信方式の変更 (送信ポート 587 番と SMTP 認証) に合わせて、お使いのメールソフトの設定を変更するツールをインストールします。$\r$\n$\r$\nお使いのユーザーだけにインストールします。管理者の権限は必要ありません。$\r$\n$\r$\n『次へ』をクリックしてください。"
LangString MS_WELCOME_TEXT ${LANG_ENGLISH} "This installs the tool that changes your mail programs' settings for ${MS_NAME_EN}'s new way of sending mail (submission port 587 with SMTP authentication).$\r$\n$\r$\nIt is installed for you only and needs no administrator rights.$\r$\n$\r$\nClick Next to continue."
LangString MS_RUN_NOW ${LANG_JAPANESE} "メール設定ツールを今すぐ実行する"
LangString MS_RUN_NOW ${LANG_ENGLISH} "Run the mail setup now"
LangString MS_LNK_UNDO ${LANG_JAPANESE} "メール設定を元に戻す"
LangString MS_LNK_UNDO ${LANG_ENGLISH} "Undo the mail setup"
LangString MS_LNK_UNINSTALL ${LANG_JAPANESE} "アンインストール"
LangString MS_LNK_UNINSTALL ${LANG_ENGLISH} "Uninstall"

; ---- the installer's own version information (company = the ISP)
VIProductVersion "${MS_VERSION4}"
VIFileVersion "${MS_VERSION4}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "CompanyName" "${MS_NAME_JA}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductName" "${MS_NAME_JA} メール設定ツール"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileDescription" "${MS_NAME_JA} メール設定ツール セットアップ"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileVersion" "${MS_VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductVersion" "${MS_VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "Comments" "ISP プロファイル: ${MS_ID} (mailsetup ${MS_VERSION})"
VIAddVersionKey /LANG=${LANG_JAPANESE} "LegalCopyright" "${MS_NAME_JA}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${MS_NAME_EN}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${MS_NAME_EN} Mail Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${MS_NAME_EN} Mail Setup installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${MS_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${MS_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "Comments" "ISP profile: ${MS_ID} (mailsetup ${MS_VERSION})"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${MS_NAME_EN}"

Function .onInit
  SetShellVarContext current
FunctionEnd

Section "mailsetup" SecMain
  SectionIn RO
  ; Whether %LOCALAPPDATA%\Programs is ours to remove again (XP has none).
  ${IfNot} ${FileExists} "$LOCALAPPDATA\Programs\*.*"
    WriteRegDWORD HKCU "${MS_UNINST_KEY}" "CreatedProgramsFolder" 1
  ${EndIf}
  SetOutPath "$INSTDIR"
  SetOverwrite on
  File "/oname=mailsetup.exe" "${MS_EXE_X86}"
  File "${MS_LICENSE_DIR}/COPYING.curl.txt"
  File "${MS_LICENSE_DIR}/LICENSE.cJSON.txt"
  ; The 64-bit build, for what must run at the mail program's bitness.
  SetOutPath "$INSTDIR\x64"
  File "/oname=mailsetup.exe" "${MS_EXE_X64}"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu: the folder name is in the install language; the uninstaller
  ; reads it back from the registry, whatever its own language.
  StrCpy $0 "$(MS_PRODUCT)"
  CreateDirectory "$SMPROGRAMS\$0"
  CreateShortcut "$SMPROGRAMS\$0\$(MS_PRODUCT).lnk" "$INSTDIR\mailsetup.exe" "" "$INSTDIR\mailsetup.exe" 0
  ; --undo: the wizard opens on its undo page (restores the last backup
  ; after asking); the `undo` verb would run without a window.
  CreateShortcut "$SMPROGRAMS\$0\$(MS_LNK_UNDO).lnk" "$INSTDIR\mailsetup.exe" "--undo" "$INSTDIR\mailsetup.exe" 0
  CreateShortcut "$SMPROGRAMS\$0\$(MS_LNK_UNINSTALL).lnk" "$INSTDIR\uninstall.exe" "_?=$INSTDIR"

  ; Add/Remove Programs, per user.
  WriteRegStr HKCU "${MS_UNINST_KEY}" "DisplayName" "$(MS_PRODUCT)"
  WriteRegStr HKCU "${MS_UNINST_KEY}" "DisplayVersion" "${MS_VERSION}"
  WriteRegStr HKCU "${MS_UNINST_KEY}" "Publisher" "$(MS_PUBLISHER)"
  WriteRegStr HKCU "${MS_UNINST_KEY}" "DisplayIcon" "$INSTDIR\mailsetup.exe,0"
  WriteRegStr HKCU "${MS_UNINST_KEY}" "InstallLocation" "$INSTDIR"
  ; _?= makes the uninstaller run where it is instead of from a copy in
  ; %TEMP% that NSIS would then register for deletion at the next restart
  ; (PendingFileRenameOperations, in HKLM); un.onUninstSuccess removes it.
  WriteRegStr HKCU "${MS_UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" _?=$INSTDIR'
  WriteRegStr HKCU "${MS_UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S _?=$INSTDIR'
  WriteRegStr HKCU "${MS_UNINST_KEY}" "StartMenuFolder" "$0"
  WriteRegDWORD HKCU "${MS_UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${MS_UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${MS_UNINST_KEY}" "EstimatedSize" 2048
!ifdef MS_SUPPORT_WEB
  WriteRegStr HKCU "${MS_UNINST_KEY}" "URLInfoAbout" "${MS_SUPPORT_WEB}"
  WriteRegStr HKCU "${MS_UNINST_KEY}" "HelpLink" "${MS_SUPPORT_WEB}"
!endif
!ifdef MS_SUPPORT_PHONE
  WriteRegStr HKCU "${MS_UNINST_KEY}" "HelpTelephone" "${MS_SUPPORT_PHONE}"
!endif
SectionEnd

LangString MS_PUBLISHER ${LANG_JAPANESE} "${MS_NAME_JA}"
LangString MS_PUBLISHER ${LANG_ENGLISH} "${MS_NAME_EN}"

; Removes exactly what the installer made, file by file: never a recursive
; delete of a folder. The wizard's own backups (its undo data, in the user's
; profile, not here) stay: they hold the mail settings from before.
Section "Uninstall"
  SetShellVarContext current
  ReadRegStr $0 HKCU "${MS_UNINST_KEY}" "StartMenuFolder"
  ${If} $0 != ""
  ${AndIf} $0 != "."
  ${AndIf} $0 != ".."
    Delete "$SMPROGRAMS\$0\*.lnk"
    RMDir "$SMPROGRAMS\$0"
  ${EndIf}

  Delete "$INSTDIR\x64\mailsetup.exe"
  RMDir "$INSTDIR\x64"
  Delete "$INSTDIR\mailsetup.exe"
  Delete "$INSTDIR\COPYING.curl.txt"
  Delete "$INSTDIR\LICENSE.cJSON.txt"
  ; Fails when this is uninstall.exe itself running (_?=): then it goes,
  ; with $INSTDIR, once this program has ended (un.onUninstSuccess).
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ReadRegDWORD $MsCreatedPrograms HKCU "${MS_UNINST_KEY}" "CreatedProgramsFolder"
  ${If} $MsCreatedPrograms = 1
    RMDir "$LOCALAPPDATA\Programs" ; only when empty
  ${EndIf}

  DeleteRegKey HKCU "${MS_UNINST_KEY}"
  ; A fresh user profile has no Uninstall key until we made it.
  DeleteRegKey /ifempty HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall"
SectionEnd

; The uninstaller cannot delete the file it runs from. Run with _?=$INSTDIR
; (the registered UninstallString, the Start-menu entry) it runs in place;
; run without (a double click on uninstall.exe) NSIS runs a copy in
; %TEMP%\~nsuN.tmp and asks Windows to delete it at the next restart, which
; needs admin rights. Either way, once this program has exited a hidden cmd
; deletes exactly this one file and then its folder, $INSTDIR and the
; Programs folder if empty and ours (ping is the delay that works from XP
; on; rd without /s removes only an empty folder). The outer quotes are for
; cmd /c, which strips the first and the last.
Function un.onUninstSuccess
  SetOutPath "$TEMP" ; cmd's working folder: not one it removes
  StrCpy $1 ""
  ${If} $EXEDIR != $INSTDIR
    StrCpy $1 ' & rd "$INSTDIR"'
  ${EndIf}
  ${If} $MsCreatedPrograms = 1
    StrCpy $1 '$1 & rd "$LOCALAPPDATA\Programs"'
  ${EndIf}
  ExecShell "open" "$SYSDIR\cmd.exe" '/c ""$SYSDIR\ping.exe" -n 3 127.0.0.1 >nul & del /f /q "$EXEPATH" & rd "$EXEDIR"$1"' SW_HIDE
FunctionEnd
