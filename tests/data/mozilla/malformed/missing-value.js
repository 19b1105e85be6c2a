user_pref("a", );
