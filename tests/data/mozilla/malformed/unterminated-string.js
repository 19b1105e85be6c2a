user_pref("mail.smtpserver.smtp1.hostname", "smtp.example.ne.jp);
