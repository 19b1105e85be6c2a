user_pref("a", "\u12");
