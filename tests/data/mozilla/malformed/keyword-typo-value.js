user_pref("a", ture);
