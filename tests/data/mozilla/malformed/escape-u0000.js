user_pref("a", "\u0000");
