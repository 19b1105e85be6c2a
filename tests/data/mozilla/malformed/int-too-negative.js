user_pref("a", -2147483649);
