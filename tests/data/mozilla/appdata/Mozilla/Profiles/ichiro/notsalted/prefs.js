user_pref("x", 1);
