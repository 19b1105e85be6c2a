// Settings added by hand (user.js style) — 手で追加した設定
# a shell-style comment, as Netscape wrote on line 1
/* a block
   comment */ user_pref("mail.smtpserver.smtp1.hostname",'smtp.example.ne.jp');
user_pref ( "mail.smtpserver.smtp1.port" , +25 ) ;   // trailing comment
user_pref("mail.smtpserver.smtp1.username", "taro\u0040example.ne.jp");
user_pref("mail.identity.id1.fullName", "\u5c71\u7530 \u592a\u90ce");
user_pref("mail.identity.id1.organization", "株式会社 \"テスト\" \\ 支店");
user_pref("mail.identity.id1.htmlSigText", "一行目\n二行目\r\n😀 \uD83D\uDE00 \x41 \'q\'");
user_pref("mail.identity.id1.sig_file", 'C:\\Users\\太郎\\署名.txt');
pref("mail.smtpserver.smtp1.try_ssl", 2);
sticky_pref("mail.test.sticky", false);
lockPref("mail.test.locked", "x");
user_pref("mail.multi.line", "first line
second line");
user_pref("mail.neg", - /* odd */ 12);
user_pref("mail.min", -2147483648);
user_pref("mail.max", 2147483647);
	 user_pref("mail.tabbed",true)	;
user_pref("mail.smtpservers", "smtp1");user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.port", 2525); // a second time: the last one wins