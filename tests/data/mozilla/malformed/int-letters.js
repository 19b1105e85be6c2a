user_pref("a", 123abc);
