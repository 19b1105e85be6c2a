user_pref("mail.identity.id1.fullName", "ŽR“c");
user_pref("mail.identity.id1.organization", "\x8eR\x93c");
user_pref("mail.smtpserver.smtp1.hostname", "mail.example.ne.jp");
