user_pref("a", 1 + 2);
