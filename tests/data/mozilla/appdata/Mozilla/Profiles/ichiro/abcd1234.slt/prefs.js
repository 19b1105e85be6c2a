# Mozilla User Preferences
// This is a generated file!

user_pref("browser.startup.homepage", "http://home.netscape.com/bookmark/7_1/home.html");
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.account.account2.server", "server2");
user_pref("mail.accountmanager.accounts", "account1,account2");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.accountmanager.localfoldersserver", "server2");
user_pref("mail.identity.id1.fullName", "鈴木 一郎");
user_pref("mail.identity.id1.useremail", "ichiro@japan-net.ne.jp");
user_pref("mail.identity.id1.valid", true);
user_pref("mail.server.server1.hostname", "secure.japan-mail.ne.jp");
user_pref("mail.server.server1.login_at_startup", true);
user_pref("mail.server.server1.name", "ichiro@japan-net.ne.jp");
user_pref("mail.server.server1.type", "pop3");
user_pref("mail.server.server1.userName", "ichiro");
user_pref("mail.server.server2.hostname", "Local Folders");
user_pref("mail.server.server2.type", "none");
user_pref("mail.server.server2.userName", "nobody");
user_pref("mail.smtp.defaultserver", "smtp1");
user_pref("mail.smtpserver.smtp1.auth_method", 0);
user_pref("mail.smtpserver.smtp1.hostname", "secure.japan-mail.ne.jp");
user_pref("mail.smtpserver.smtp1.try_ssl", 0);
user_pref("mail.smtpservers", "smtp1");
