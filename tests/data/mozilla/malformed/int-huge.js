user_pref("a", 99999999999);
