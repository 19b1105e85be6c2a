user_pref("a", -true);
