user_pref("a", "\x00");
