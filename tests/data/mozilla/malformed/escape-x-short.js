user_pref("a", "\x4");
